"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { useHydrated } from "@/components/ui/use-hydrated";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/textarea";
import { formErrors } from "@/lib/dashboard/action-errors";
import type { ActionResult } from "@/lib/http/server-action";

interface Draft {
  clusterId: string | null;
  checkId: string;
  checkTitle: string;
  namespace: string | null;
  kind: string;
  namePattern: string;
}

type Reach = "resource" | "namespace" | "everywhere" | "custom";
const FIELDS = ["namespace", "kind", "namePattern", "reason", "expiresAt", "clusterId"] as const;

function reachValues(reach: Exclude<Reach, "custom">, draft: Draft) {
  if (reach === "resource") return { namespace: draft.namespace ?? "", kind: draft.kind, namePattern: draft.namePattern };
  if (reach === "namespace") return { namespace: draft.namespace ?? "", kind: "", namePattern: "" };
  return { namespace: "", kind: "", namePattern: "" };
}

/** An exception prefilled from a finding: where it applies (a preset or custom), on which clusters, why, until when. */
export function ExceptionForm({ slug, cluster, draft, defaultExpiry, action }: { slug: string; cluster: { id: string; name: string }; draft: Draft; defaultExpiry: string; action: (slug: string, input: unknown) => Promise<ActionResult<{ id: string; clusterId: string | null; createdAt: string }>> }) {
  const hydrated = useHydrated();
  const router = useRouter();
  const [reach, setReach] = useState<Reach>("resource");
  const [where, setWhere] = useState(reachValues("resource", draft));
  const [allClusters, setAllClusters] = useState(false);
  const [reason, setReason] = useState("");
  const [expiry, setExpiry] = useState(defaultExpiry);
  const [errors, setErrors] = useState<Partial<Record<(typeof FIELDS)[number] | "form", string>>>({});
  const [pending, setPending] = useState(false);

  const choose = (next: Exclude<Reach, "custom">) => {
    setReach(next);
    setWhere(reachValues(next, draft));
  };
  const edit = (key: keyof typeof where, value: string) => {
    setReach("custom");
    setWhere({ ...where, [key]: value });
  };

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setErrors({});
    const result = await action(slug, {
      clusterId: allClusters ? null : cluster.id,
      checkId: draft.checkId,
      namespace: where.namespace.trim(),
      kind: where.kind.trim(),
      namePattern: where.namePattern.trim(),
      reason: reason.trim(),
      // The end of the chosen day, UTC: "until 1 March" includes 1 March.
      expiresAt: expiry ? `${expiry}T23:59:59Z` : "",
    });
    if (!result.ok) {
      setPending(false);
      return setErrors(formErrors(result.error, FIELDS));
    }
    // The cluster page waits (and says so) until the snapshot was evaluated after this exception.
    router.push(`/o/${slug}/clusters/${cluster.id}?updating=${encodeURIComponent(result.data.createdAt)}`);
  }

  const presets: { value: Exclude<Reach, "custom">; label: string; disabled?: boolean }[] = [
    { value: "resource", label: `Only ${draft.kind} ${draft.namespace ? `${draft.namespace}/` : ""}${draft.namePattern}` },
    { value: "namespace", label: draft.namespace ? `Every resource in namespace ${draft.namespace}` : "Every resource in this namespace", disabled: !draft.namespace },
    { value: "everywhere", label: "Every resource" },
  ];

  return (
    <form onSubmit={onSubmit} noValidate>
      <fieldset disabled={!hydrated} className="space-y-5">
        {errors.form && <Alert tone="error">{errors.form}</Alert>}
        <p className="text-sm">
          <span className="font-medium">Check:</span> {draft.checkTitle} <code className="font-mono text-xs text-slate-600">{draft.checkId}</code>
        </p>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">Applies to</legend>
          {presets.map((p) => (
            <label key={p.value} className={`flex items-center gap-2 text-sm ${p.disabled ? "text-slate-500" : ""}`}>
              <input type="radio" name="reach" value={p.value} checked={reach === p.value} disabled={p.disabled} onChange={() => choose(p.value)} className="h-4 w-4" />
              <span className="break-all">{p.label}</span>
            </label>
          ))}
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="reach" value="custom" checked={reach === "custom"} onChange={() => setReach("custom")} className="h-4 w-4" />
            Custom (edit below)
          </label>
          <div className="grid gap-3 pt-1 sm:grid-cols-3">
            <Field label="Namespace" name="namespace" value={where.namespace} error={errors.namespace} hint="Empty: every namespace. * and ? match." onChange={(e) => edit("namespace", e.target.value)} />
            <Field label="Kind" name="kind" value={where.kind} error={errors.kind} hint="Empty: every kind." onChange={(e) => edit("kind", e.target.value)} />
            <Field label="Name pattern" name="namePattern" value={where.namePattern} error={errors.namePattern} hint="Empty: every name. * and ? match." onChange={(e) => edit("namePattern", e.target.value)} />
          </div>
        </fieldset>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">Clusters</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="clusters" checked={!allClusters} onChange={() => setAllClusters(false)} className="h-4 w-4" />
            Only {cluster.name}
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="clusters" checked={allClusters} onChange={() => setAllClusters(true)} className="h-4 w-4" />
            Every cluster of the organization
          </label>
          {errors.clusterId && <p className="text-sm text-red-700">{errors.clusterId}</p>}
        </fieldset>
        <Textarea label="Reason" name="reason" required rows={3} value={reason} error={errors.reason} hint="Why this risk is accepted, and what mitigates it. Kept in the audit log." onChange={(e) => setReason(e.target.value)} />
        <Field label="Expires on" name="expiresAt" type="date" value={expiry} error={errors.expiresAt} hint="Leave empty for no expiry (then review it yourself)." onChange={(e) => setExpiry(e.target.value)} />
        <Button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add exception"}
        </Button>
      </fieldset>
    </form>
  );
}
