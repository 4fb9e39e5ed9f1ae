"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { useHydrated } from "@/components/ui/use-hydrated";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { ActionResult } from "@/lib/http/server-action";

export function DeleteClusterForm({ slug, clusterId, clusterName, action }: { slug: string; clusterId: string; clusterName: string; action: (slug: string, clusterId: string, confirmName: unknown) => Promise<ActionResult<{ name: string }>> }) {
  const hydrated = useHydrated();
  const router = useRouter();
  const [confirmName, setConfirmName] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  return (
    <form
      className="mt-3 max-w-lg"
      onSubmit={async (e) => {
        e.preventDefault();
        setPending(true);
        setError(null);
        const result = await action(slug, clusterId, confirmName);
        setPending(false);
        if (!result.ok) return setError(result.error.message.replace(/^confirmName: /, ""));
        router.push(`/o/${slug}`);
      }}
    >
      <fieldset disabled={!hydrated} className="space-y-3">
        {error && <Alert tone="error">{error}</Alert>}
        <Field label={`Type ${clusterName} to confirm`} name="confirmName" autoComplete="off" value={confirmName} onChange={(e) => setConfirmName(e.target.value)} />
        <Button type="submit" variant="danger" disabled={pending || confirmName.trim() !== clusterName}>
          {pending ? "Deleting…" : "Delete cluster"}
        </Button>
      </fieldset>
    </form>
  );
}
