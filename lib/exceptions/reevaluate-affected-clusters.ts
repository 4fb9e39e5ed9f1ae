/**
 * After an exception changes, the affected clusters' latest snapshots are evaluated again (in
 * the queue, keyed per cluster so a burst of changes costs one evaluation). Enqueued in the same
 * transaction as the change.
 */
import type { TenantTx } from "@/lib/tenancy/tenant-db";
import { enqueueJob } from "@/lib/jobs/enqueue-job";

export function reevaluationJobKey(clusterId: string): string {
  return `reevaluate-cluster:${clusterId}`;
}

export async function reevaluateAffectedClusters(tx: TenantTx, orgId: string, clusterId: string | null, at?: { runAt: Date; exceptionId: string }): Promise<string[]> {
  const clusters = await tx.cluster.findMany({
    where: { orgId, latestSnapshotId: { not: null }, ...(clusterId ? { id: clusterId } : {}) },
    select: { id: true },
  });
  for (const c of clusters) {
    // A later run (an exception's expiry) has its own key, so it does not replace the one due now.
    const jobKey = at ? `exception-expiry:${at.exceptionId}:${c.id}` : reevaluationJobKey(c.id);
    await enqueueJob(tx, "reevaluate-cluster", { orgId, clusterId: c.id }, { jobKey, maxAttempts: 3, ...(at ? { runAt: at.runAt } : {}) });
  }
  return clusters.map((c) => c.id);
}
