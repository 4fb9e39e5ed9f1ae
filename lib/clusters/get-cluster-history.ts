/**
 * A cluster's score over time for the chart: one point per day (kept a year), each with the six
 * layer scores, and the individual snapshots of the retention period.
 */
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { notFound } from "@/lib/errors";

export interface ClusterHistory {
  days: { day: string; score: number; grade: string; coverage: number; layers: { id: number; score: number | null; grade: string | null }[]; snapshotId: string }[];
  snapshots: { id: string; collectedAt: Date | null; score: number; grade: string }[];
}

export async function getClusterHistory(options: { scope: TenantScope; clusterId: string; days?: number; now?: Date }): Promise<ClusterHistory> {
  const { scope } = options;
  scope.assert("cluster:read");
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - (options.days ?? 90) * 24 * 3600 * 1000);
  return scope.transaction(async (tx) => {
    const cluster = await tx.cluster.findFirst({ where: { id: options.clusterId, orgId: scope.orgId }, select: { id: true } });
    if (!cluster) throw notFound("Cluster");
    const days = await tx.dailyScore.findMany({ where: { orgId: scope.orgId, clusterId: cluster.id, day: { gte: since } }, orderBy: { day: "asc" } });
    const snapshots = await tx.snapshot.findMany({
      where: { orgId: scope.orgId, clusterId: cluster.id, status: "READY", collectedAt: { gte: since } },
      orderBy: { collectedAt: "asc" },
      select: { id: true, collectedAt: true, score: true, grade: true },
    });
    return {
      days: days.map((d) => ({
        day: d.day.toISOString().slice(0, 10),
        score: d.score,
        grade: d.grade,
        coverage: d.coverage,
        layers: d.layers as { id: number; score: number | null; grade: string | null }[],
        snapshotId: d.snapshotId,
      })),
      snapshots: snapshots.map((s) => ({ id: s.id, collectedAt: s.collectedAt, score: s.score ?? 0, grade: s.grade ?? "F" })),
    };
  });
}
