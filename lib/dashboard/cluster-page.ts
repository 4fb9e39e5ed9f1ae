/**
 * Everything the cluster page shows, read in one tenant transaction: the cluster's overview
 * (lib/clusters/cluster-overview.ts, as the fleet shows it), the latest snapshot's summary and
 * layer details, the score history, and the findings page the URL asks for. What does not change
 * until the snapshot is evaluated again (totals, what changed) comes from the snapshot cache
 * (lib/dashboard/snapshot-findings.ts); the filter menus are loaded by the page afterwards.
 *
 * A thin loader of our own rather than getCluster + getClusterHistory + the findings functions:
 * those open a transaction each and read the cluster and its snapshot again each time; this page
 * is the one that must stay fast at 50,000 findings (bench/dashboard-cluster-page.ts).
 */
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { notFound } from "@/lib/errors";
import { clusterColumns, loadClusterOverviews, type ClusterOverview } from "@/lib/clusters/cluster-overview";
import type { ClusterDetail } from "@/lib/clusters/get-cluster";
import type { LayerDetail, SnapshotSummary } from "@/lib/ingest/snapshot-summary";
import type { FindingsUrlState } from "./findings-url";
import { clusterStatusVersion } from "./cluster-status";
import { scoreSeries } from "./score-series";
import type { SeriesPoint } from "./chart-geometry";
import type { SnapshotVersion } from "./snapshot-cache";
import { SNAPSHOT_POSITION_SELECT } from "@/lib/findings/snapshot-membership";
import { readFindingsPage, snapshotChanges, snapshotFindingsTotal, type SnapshotChangesView, type SnapshotFindingsPage } from "./snapshot-findings";

export type ClusterPageCluster = ClusterOverview & Pick<ClusterDetail, "layers" | "coverage" | "mode" | "counts">;

export interface ClusterPageData {
  cluster: ClusterPageCluster;
  /** What the live-status poll compares with (lib/dashboard/cluster-status.ts). */
  statusVersion: string;
  findings: (SnapshotFindingsPage & { snapshotId: string }) | null;
  /** The evaluation the findings come from (the filter menus' cache key: the page loads them afterwards). */
  version: SnapshotVersion | null;
  changes: SnapshotChangesView | null;
  series: SeriesPoint[];
}

export const FINDINGS_PAGE_SIZE = 50;
const CHANGES_SHOWN = 5;
const HISTORY_DAYS = 90;

export async function loadClusterPage(options: { scope: TenantScope; clusterId: string; state: FindingsUrlState; now: Date }): Promise<ClusterPageData> {
  const { scope, clusterId, state, now } = options;
  scope.assert("cluster:read");
  scope.assert("finding:read");
  const since = new Date(now.getTime() - HISTORY_DAYS * 86_400_000);

  const read = await scope.transaction(async (tx) => {
    const row = await tx.cluster.findFirst({ where: { id: clusterId, orgId: scope.orgId }, select: clusterColumns });
    if (!row) throw notFound("Cluster");
    const [overview] = await loadClusterOverviews(tx, scope.orgId, [row], { now, trendDays: HISTORY_DAYS });
    const latestId = overview!.latest?.snapshotId ?? null;
    if (!latestId) return { overview: overview!, snapshot: null, layers: [], history: null, page: null };
    const snapshot = await tx.snapshot.findFirstOrThrow({ where: { id: latestId, orgId: scope.orgId }, select: { ...SNAPSHOT_POSITION_SELECT, summary: true, evaluationCount: true } });
    const layers = await tx.snapshotLayerScore.findMany({ where: { orgId: scope.orgId, snapshotId: latestId }, orderBy: { layer: "asc" } });
    const days = overview!.trend;
    const snapshots = await tx.snapshot.findMany({
      where: { orgId: scope.orgId, clusterId, status: "READY", collectedAt: { gte: since } },
      orderBy: { collectedAt: "asc" },
      select: { id: true, collectedAt: true, score: true, grade: true },
    });
    const page = await readFindingsPage(tx, snapshot, state, FINDINGS_PAGE_SIZE);
    return { overview: overview!, snapshot, layers, history: { days, snapshots }, page };
  });

  const { overview } = read;
  const summary = (read.snapshot?.summary ?? null) as SnapshotSummary | null;
  const cluster: ClusterPageCluster = {
    ...overview,
    layers: read.layers.map((l) => {
      const detail = l.detail as unknown as LayerDetail;
      return { id: l.layer, name: detail.name, score: l.score, grade: l.grade, coverage: l.coverage, detail };
    }),
    coverage: summary?.coverage ?? null,
    mode: summary?.mode ?? null,
    counts: summary?.counts ?? null,
  };
  const newer = overview.pending ? { id: overview.pending.snapshotId, status: overview.pending.status } : overview.lastFailure ? { id: overview.lastFailure.snapshotId, status: "FAILED" } : null;
  const evaluationCount = read.snapshot?.evaluationCount ?? 0;
  const statusVersion = clusterStatusVersion({ latestSnapshotId: overview.latest?.snapshotId ?? null, evaluationCount, newer });
  const latest = overview.latest;
  if (!latest || !read.page || !read.history) {
    return { cluster, statusVersion, findings: null, version: null, changes: null, series: [] };
  }

  const { summary: _summary, evaluationCount: _count, ...position } = read.snapshot!;
  const version: SnapshotVersion = { orgId: scope.orgId, evaluationCount, position };
  const previous = latest.diff?.previousSnapshotId ? { snapshotId: latest.diff.previousSnapshotId, score: latest.diff.previousScore } : null;
  const [total, changes] = await Promise.all([snapshotFindingsTotal(scope, version, state), snapshotChanges(scope, version, previous, CHANGES_SHOWN)]);
  return {
    cluster,
    statusVersion,
    findings: { ...read.page, total, snapshotId: latest.snapshotId },
    version,
    changes,
    series: scoreSeries({
      days: read.history.days,
      snapshots: read.history.snapshots.map((s) => ({ collectedAt: s.collectedAt, score: s.score ?? 0, grade: s.grade ?? "F" })),
    }),
  };
}
