import { notFound, redirect } from "next/navigation";
import { currentUserOnce, myOrganizationsOnce } from "@/lib/dashboard/org-context";
import { organizationNav } from "@/lib/tenancy/organization-nav";
import { Brand } from "@/components/layout/brand";
import { OrgNav } from "@/components/layout/org-nav";
import { OrganizationSwitcher } from "@/components/orgs/organization-switcher";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { QueryProvider } from "@/components/providers/query-provider";

export default async function OrganizationLayout({ children, params }: { children: React.ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const user = await currentUserOnce();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(`/o/${slug}`)}`);
  const organizations = await myOrganizationsOnce(user.id);
  const current = organizations.find((org) => org.slug === slug);
  // Not a member and no such organization look the same.
  if (!current) notFound();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <div className="flex min-w-0 items-center gap-4">
            <Brand href="/app" />
            <OrganizationSwitcher current={slug} organizations={organizations} />
          </div>
          <div className="flex items-center gap-2 text-sm text-slate-600">
            <span className="hidden sm:inline" title={`Role: ${current.role.toLowerCase()}`}>
              {user.email}
            </span>
            <SignOutButton />
          </div>
        </div>
        <div className="mx-auto max-w-7xl px-4 pb-2">
          <OrgNav items={organizationNav(slug, current.role)} />
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6 sm:py-8">
        <QueryProvider>{children}</QueryProvider>
      </main>
    </div>
  );
}
