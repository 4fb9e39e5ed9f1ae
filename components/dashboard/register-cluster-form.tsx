"use client";

import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { useHydrated } from "@/components/ui/use-hydrated";
import { Button, ButtonLink } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Select } from "@/components/ui/select";
import { formErrors } from "@/lib/dashboard/action-errors";
import type { ActionResult } from "@/lib/http/server-action";
import type { IssuedTokenView } from "@/app/o/[slug]/clusters/new/actions";
import { TokenReveal } from "./token-reveal";

export const SCHEDULES = [
  { minutes: 15, label: "Every 15 minutes" },
  { minutes: 60, label: "Every hour" },
  { minutes: 360, label: "Every 6 hours (recommended)" },
  { minutes: 720, label: "Every 12 hours" },
  { minutes: 1440, label: "Once a day" },
] as const;

const FIELDS = ["name", "environment", "scheduleMinutes"] as const;

export function RegisterClusterForm({ slug, action }: { slug: string; action: (slug: string, input: unknown) => Promise<ActionResult<IssuedTokenView>> }) {
  const hydrated = useHydrated();
  const [name, setName] = useState("");
  const [environment, setEnvironment] = useState("production");
  const [schedule, setSchedule] = useState("360");
  const [errors, setErrors] = useState<Partial<Record<(typeof FIELDS)[number] | "form", string>>>({});
  const [pending, setPending] = useState(false);
  const [issued, setIssued] = useState<IssuedTokenView | null>(null);

  if (issued) {
    return (
      <div className="space-y-6">
        <Alert tone="success" title={`Cluster ${issued.clusterName} registered`}>
          Install the agent with the commands below. The cluster page fills in as soon as the first snapshot arrives.
        </Alert>
        <TokenReveal token={issued.token} install={issued.install} serverUrl={issued.serverUrl} heading="Install the agent" />
        <ButtonLink href={`/o/${slug}/clusters/${issued.clusterId}`}>I have copied the token: go to the cluster</ButtonLink>
      </div>
    );
  }

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setErrors({});
    const result = await action(slug, { name: name.trim(), environment, scheduleMinutes: Number(schedule) });
    setPending(false);
    if (result.ok) setIssued(result.data);
    else setErrors(formErrors(result.error, FIELDS));
  }

  return (
    <form onSubmit={onSubmit} noValidate className="max-w-lg">
      <fieldset disabled={!hydrated} className="space-y-4">
        {errors.form && <Alert tone="error">{errors.form}</Alert>}
        <Field
          label="Cluster name"
          name="name"
          required
          autoComplete="off"
          placeholder="prod-eu-1"
          value={name}
          error={errors.name}
          hint="Lowercase letters, digits, dots and hyphens."
          onChange={(e) => setName(e.target.value)}
        />
        <Field label="Environment" name="environment" list="environments" required value={environment} error={errors.environment} onChange={(e) => setEnvironment(e.target.value)} />
        <datalist id="environments">
          <option value="production" />
          <option value="staging" />
          <option value="development" />
        </datalist>
        <Select
          label="Snapshot schedule"
          name="scheduleMinutes"
          value={schedule}
          error={errors.scheduleMinutes}
          hint="The cluster is marked stale when no snapshot arrives for twice this long."
          onChange={(e) => setSchedule(e.target.value)}
        >
          {SCHEDULES.map((s) => (
            <option key={s.minutes} value={s.minutes}>
              {s.label}
            </option>
          ))}
        </Select>
        <Button type="submit" disabled={pending}>
          {pending ? "Registering…" : "Register cluster"}
        </Button>
      </fieldset>
    </form>
  );
}
