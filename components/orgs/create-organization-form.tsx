"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { useHydrated } from "@/components/ui/use-hydrated";
import { Field } from "@/components/ui/field";
import { Alert } from "@/components/ui/alert";
import { suggestSlug } from "@/lib/tenancy/organization-slug";
import type { ActionResult } from "@/lib/http/server-action";

export function CreateOrganizationForm({ action }: { action: (input: unknown) => Promise<ActionResult<{ slug: string }>> }) {
  const router = useRouter();
  // Inert until React runs: nothing typed before hydration is lost or submitted natively.
  const hydrated = useHydrated();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const [errors, setErrors] = useState<{ name?: string; slug?: string; form?: string }>({});
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setErrors({});
    const result = await action({ name, slug });
    if (result.ok) {
      router.push(`/o/${result.data.slug}`);
      return;
    }
    const field = result.error.field;
    setErrors(field === "name" || field === "slug" ? { [field]: result.error.message.replace(/^\w+: /, "") } : { form: result.error.message });
    setPending(false);
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <fieldset disabled={!hydrated} className="space-y-4">
      {errors.form && <Alert tone="error">{errors.form}</Alert>}
      <Field
        label="Organization name"
        name="name"
        required
        value={name}
        error={errors.name}
        onChange={(e) => {
          setName(e.target.value);
          if (!slugEdited) setSlug(suggestSlug(e.target.value));
        }}
      />
      <Field
        label="URL slug"
        name="slug"
        required
        value={slug}
        error={errors.slug}
        hint="Lowercase letters, digits and hyphens. Used in your dashboard's address."
        onChange={(e) => {
          setSlugEdited(true);
          setSlug(e.target.value);
        }}
      />
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create organization"}
      </Button>
      </fieldset>
    </form>
  );
}
