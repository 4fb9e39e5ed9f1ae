/**
 * "What changed" on a cluster's page: the findings that appeared since the previous snapshot
 * and the ones that were resolved (in the previous snapshot, by fingerprint,
 * not in this one), with the score before and after.
 */
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { resolveSnapshot } from "./list-cluster-findings";
import type { FindingView } from "./finding-view";
import { readSnapshotChanges } from "./read-snapshot-changes";

export interface SnapshotChanges {
  snapshot: { id: string; collectedAt: Date | null; score: number | null; grade: string | null } | null;
  previous: { id: string; collectedAt: Date | null; score: number | null; grade: string | null } | null;
  newFindings: FindingView[];
  resolvedFindings: FindingView[];
  /** Totals (the lists stop at `limit`). */
  newCount: number;
  resolvedCount: number;
}

export async function getSnapshotChanges(options: { scope: TenantScope; clusterId: string; snapshotId?: string; limit?: number }): Promise<SnapshotChanges> {
  const { scope } = options;
  scope.assert("finding:read");
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  return scope.transaction(async (tx) => {
    const snapshot = await resolveSnapshot(tx, scope.orgId, options.clusterId, options.snapshotId);
    if (!snapshot) return { snapshot: null, previous: null, newFindings: [], resolvedFindings: [], newCount: 0, resolvedCount: 0 };
    const current = { id: snapshot.id, collectedAt: snapshot.collectedAt, score: snapshot.score, grade: snapshot.grade };
    const previous = snapshot.previousSnapshotId
      ? await tx.snapshot.findFirst({ where: { id: snapshot.previousSnapshotId, orgId: scope.orgId }, select: { id: true, collectedAt: true, score: true, grade: true } })
      : null;
    return { snapshot: current, previous, ...(await readSnapshotChanges(tx, snapshot, limit)) };
  });
}
