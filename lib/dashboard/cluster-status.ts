/**
 * A cluster's live state in one small query, for the page to poll: which snapshot is current and
 * how many times it was evaluated (exceptions re-evaluate it), and whether a newer one is on its
 * way. `version` changes whenever the page would show something different; the page computes
 * the same version from what it rendered (clusterStatusVersion).
 */
import { notFound } from "@/lib/errors";
import type { TenantScope } from "@/lib/tenancy/tenant-db";

export interface ClusterStatus {
  version: string;
  latestSnapshotId: string | null;
  evaluationCount: number;
  pending: { snapshotId: string; status: string } | null;
  lastSeenAt: Date | null;
}

/** Same inputs, same version: the current snapshot, its evaluation count, and the newest unfinished or failed newer snapshot. */
export function clusterStatusVersion(input: { latestSnapshotId: string | null; evaluationCount: number; newer: { id: string; status: string } | null }): string {
  return [input.latestSnapshotId ?? "none", input.evaluationCount, input.newer?.id ?? "", input.newer?.status ?? ""].join(":");
}

export async function getClusterStatus(options: { scope: TenantScope; clusterId: string }): Promise<ClusterStatus> {
  const { scope } = options;
  scope.assert("cluster:read");
  return scope.transaction(async (tx) => {
    const cluster = await tx.cluster.findFirst({
      where: { id: options.clusterId, orgId: scope.orgId },
      select: { latestSnapshotId: true, lastSeenAt: true, latestSnapshot: { select: { evaluationCount: true, receivedAt: true } } },
    });
    if (!cluster) throw notFound("Cluster");
    const newer = await tx.snapshot.findFirst({
      where: {
        orgId: scope.orgId,
        clusterId: options.clusterId,
        status: { in: ["RECEIVING", "QUEUED", "EVALUATING", "FAILED"] },
        ...(cluster.latestSnapshot ? { receivedAt: { gt: cluster.latestSnapshot.receivedAt } } : {}),
      },
      orderBy: { receivedAt: "desc" },
      select: { id: true, status: true },
    });
    const evaluationCount = cluster.latestSnapshot?.evaluationCount ?? 0;
    return {
      version: clusterStatusVersion({ latestSnapshotId: cluster.latestSnapshotId, evaluationCount, newer }),
      latestSnapshotId: cluster.latestSnapshotId,
      evaluationCount,
      pending: newer && newer.status !== "FAILED" ? { snapshotId: newer.id, status: newer.status } : null,
      lastSeenAt: cluster.lastSeenAt,
    };
  });
}
