import { notFound } from "@/lib/errors";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import type { SnapshotVersion } from "./snapshot-cache";
import { SNAPSHOT_POSITION_SELECT } from "@/lib/findings/snapshot-membership";

/** The cluster's current snapshot and its evaluation count (null before the first snapshot); another organization's cluster is "not found". */
export async function currentSnapshotVersion(scope: TenantScope, clusterId: string): Promise<SnapshotVersion | null> {
  const cluster = await scope.db.cluster.findFirst({
    where: { id: clusterId, orgId: scope.orgId },
    select: { latestSnapshot: { select: { ...SNAPSHOT_POSITION_SELECT, evaluationCount: true } } },
  });
  if (!cluster) throw notFound("Cluster");
  if (!cluster.latestSnapshot) return null;
  const { evaluationCount, ...position } = cluster.latestSnapshot;
  return { orgId: scope.orgId, evaluationCount, position };
}
