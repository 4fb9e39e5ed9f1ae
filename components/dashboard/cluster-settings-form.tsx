"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { useHydrated } from "@/components/ui/use-hydrated";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { formErrors } from "@/lib/dashboard/action-errors";
import type { ActionResult } from "@/lib/http/server-action";
import { SCHEDULES } from "./register-cluster-form";

const FIELDS = ["name", "environment", "scheduleMinutes"] as const;

interface Values {
  name: string;
  environment: string;
  scheduleMinutes: number;
}

export function ClusterSettingsForm({ slug, clusterId, initial, action }: { slug: string; clusterId: string; initial: Values; action: (slug: string, clusterId: string, input: unknown) => Promise<ActionResult<{ name: string }>> }) {
  const hydrated = useHydrated();
  const router = useRouter();
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<Partial<Record<(typeof FIELDS)[number] | "form", string>>>({});
  const [saved, setSaved] = useState(false);
  const [pending, setPending] = useState(false);
  const schedules = SCHEDULES.some((s) => s.minutes === initial.scheduleMinutes) ? SCHEDULES : [...SCHEDULES, { minutes: initial.scheduleMinutes, label: `Every ${initial.scheduleMinutes} minutes` }];

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setErrors({});
    setSaved(false);
    const changed = Object.fromEntries(Object.entries(values).filter(([k, v]) => initial[k as keyof Values] !== v));
    if (Object.keys(changed).length === 0) {
      setPending(false);
      return setErrors({ form: "Nothing changed." });
    }
    const result = await action(slug, clusterId, changed);
    setPending(false);
    if (!result.ok) return setErrors(formErrors(result.error, FIELDS));
    setSaved(true);
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} noValidate className="mt-3 max-w-lg">
      <fieldset disabled={!hydrated} className="space-y-4">
        {errors.form && <Alert tone="error">{errors.form}</Alert>}
        {saved && <Alert tone="success">Saved.</Alert>}
        <Field label="Cluster name" name="name" value={values.name} error={errors.name} onChange={(e) => setValues({ ...values, name: e.target.value })} />
        <Field label="Environment" name="environment" value={values.environment} error={errors.environment} onChange={(e) => setValues({ ...values, environment: e.target.value })} />
        <Select
          label="Snapshot schedule"
          name="scheduleMinutes"
          value={String(values.scheduleMinutes)}
          error={errors.scheduleMinutes}
          hint="Change the agent's CronJob to match; the stale warning follows this value."
          onChange={(e) => setValues({ ...values, scheduleMinutes: Number(e.target.value) })}
        >
          {schedules.map((s) => (
            <option key={s.minutes} value={s.minutes}>
              {s.label}
            </option>
          ))}
        </Select>
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save changes"}
        </Button>
      </fieldset>
    </form>
  );
}
