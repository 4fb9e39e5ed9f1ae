import { notFound } from "@/lib/errors";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import type { SnapshotVersion } from "./snapshot-cache";

/** The cluster's current snapshot and its evaluation count (null before the first snapshot); another organization's cluster is "not found". */
export async function currentSnapshotVersion(scope: TenantScope, clusterId: string): Promise<SnapshotVersion | null> {
  const cluster = await scope.db.cluster.findFirst({
    where: { id: clusterId, orgId: scope.orgId },
    select: { latestSnapshotId: true, latestSnapshot: { select: { evaluationCount: true } } },
  });
  if (!cluster) throw notFound("Cluster");
  return cluster.latestSnapshotId ? { orgId: scope.orgId, snapshotId: cluster.latestSnapshotId, evaluationCount: cluster.latestSnapshot?.evaluationCount ?? 0 } : null;
}
