/**
 * One cluster for its page: the overview (score, grade, health, trend), each layer with the checks
 * that pull it down, coverage, and the recent snapshots. Another organization's cluster, or an
 * unknown id, is "not found".
 */
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { notFound } from "@/lib/errors";
import type { LayerDetail, SnapshotSummary } from "@/lib/ingest/snapshot-summary";
import { clusterColumns, loadClusterOverviews, type ClusterOverview, type LayerScoreView } from "./cluster-overview";

export interface ClusterDetail extends ClusterOverview {
  /** The six layers of the latest snapshot, each with its checks ordered by what they cost (empty before the first snapshot). */
  layers: (LayerScoreView & { detail: LayerDetail })[];
  /** Coverage and totals of the latest snapshot. */
  coverage: SnapshotSummary["coverage"] | null;
  mode: SnapshotSummary["mode"] | null;
  counts: SnapshotSummary["counts"] | null;
  /** Newest first. */
  recentSnapshots: { id: string; status: string; collectedAt: Date | null; receivedAt: Date; score: number | null; grade: string | null; error: string | null }[];
}

export async function getCluster(options: { scope: TenantScope; clusterId: string; now?: Date; trendDays?: number }): Promise<ClusterDetail> {
  const { scope } = options;
  scope.assert("cluster:read");
  const now = options.now ?? new Date();
  return scope.transaction(async (tx) => {
    const cluster = await tx.cluster.findFirst({ where: { id: options.clusterId, orgId: scope.orgId }, select: clusterColumns });
    if (!cluster) throw notFound("Cluster");
    const [overview] = await loadClusterOverviews(tx, scope.orgId, [cluster], { now, trendDays: options.trendDays ?? 90 });
    const latestId = cluster.latestSnapshotId;
    const layerRows = latestId
      ? await tx.snapshotLayerScore.findMany({ where: { orgId: scope.orgId, snapshotId: latestId }, orderBy: { layer: "asc" } })
      : [];
    const summary = latestId
      ? ((await tx.snapshot.findFirst({ where: { id: latestId, orgId: scope.orgId }, select: { summary: true } }))?.summary as SnapshotSummary | null)
      : null;
    const recent = await tx.snapshot.findMany({
      where: { orgId: scope.orgId, clusterId: cluster.id },
      orderBy: { receivedAt: "desc" },
      take: 20,
      select: { id: true, status: true, collectedAt: true, receivedAt: true, score: true, grade: true, error: true },
    });
    return {
      ...overview!,
      layers: layerRows.map((row) => {
        const detail = row.detail as unknown as LayerDetail;
        return { id: row.layer, name: detail.name, score: row.score, grade: row.grade, coverage: row.coverage, detail };
      }),
      coverage: summary?.coverage ?? null,
      mode: summary?.mode ?? null,
      counts: summary?.counts ?? null,
      recentSnapshots: recent,
    };
  });
}
