"use client";

import { useRouter } from "next/navigation";
import { LAST_ORG_COOKIE } from "@/lib/tenancy/last-organization";

const NEW = "__new__";

export function OrganizationSwitcher({ current, organizations }: { current: string; organizations: { slug: string; name: string }[] }) {
  const router = useRouter();
  return (
    <div className="flex items-center gap-2">
      <label htmlFor="org-switcher" className="sr-only">
        Switch organization
      </label>
      <select
        id="org-switcher"
        value={current}
        onChange={(event) => {
          const slug = event.target.value;
          if (slug === NEW) return router.push("/orgs/new");
          document.cookie = `${LAST_ORG_COOKIE}=${encodeURIComponent(slug)}; path=/; max-age=31536000; samesite=lax`;
          router.push(`/o/${slug}`);
        }}
        className="max-w-48 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"
      >
        {organizations.map((org) => (
          <option key={org.slug} value={org.slug}>
            {org.name}
          </option>
        ))}
        <option value={NEW}>+ New organization…</option>
      </select>
    </div>
  );
}
