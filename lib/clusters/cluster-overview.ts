/**
 * The shape the dashboard shows for a cluster (fleet overview rows and the cluster page header),
 * read in a few set-based queries for all clusters at once: never one query per cluster.
 */
import type { Prisma } from "@/lib/db/generated/prisma/client";
import type { TenantTx } from "@/lib/tenancy/tenant-db";
import { LAYERS } from "@/lib/engine/model/layers";
import type { FindingCounts, SeverityKey, SnapshotDiff } from "@/lib/ingest/snapshot-summary";
import { clusterHealth, type ClusterHealth } from "./cluster-health";

export interface LayerScoreView {
  id: number;
  name: string;
  /** Null when nothing in the layer could be evaluated. */
  score: number | null;
  grade: string | null;
  coverage: number | null;
}

export interface LatestSnapshotView {
  snapshotId: string;
  collectedAt: Date | null;
  evaluatedAt: Date | null;
  score: number;
  grade: string;
  coverage: number;
  cappedBy: string[];
  findingsBySeverity: Record<SeverityKey, FindingCounts>;
  diff: SnapshotDiff | null;
  layers: LayerScoreView[];
}

export interface TrendPoint {
  /** YYYY-MM-DD (UTC). */
  day: string;
  score: number;
  grade: string;
}

export interface ClusterOverview {
  id: string;
  name: string;
  environment: string;
  scheduleMinutes: number;
  createdAt: Date;
  lastSeenAt: Date | null;
  health: ClusterHealth;
  /** No snapshot for twice the schedule. */
  stale: boolean;
  agentVersion: string | null;
  schemaVersion: string | null;
  kubernetesVersion: string | null;
  provider: string | null;
  clusterUid: string | null;
  latest: LatestSnapshotView | null;
  /** One point per day (the day's last snapshot), oldest first. */
  trend: TrendPoint[];
  /** A newer snapshot still arriving or being evaluated. */
  pending: { snapshotId: string; status: "RECEIVING" | "QUEUED" | "EVALUATING"; receivedAt: Date } | null;
  /** A newer snapshot that failed (refused or evaluation failed): the agent needs attention. */
  lastFailure: { snapshotId: string; at: Date; error: string } | null;
}

export const clusterColumns = {
  id: true,
  name: true,
  environment: true,
  scheduleMinutes: true,
  createdAt: true,
  lastSeenAt: true,
  agentVersion: true,
  schemaVersion: true,
  kubernetesVersion: true,
  provider: true,
  clusterUid: true,
  latestSnapshotId: true,
} satisfies Prisma.ClusterSelect;

type ClusterRow = Prisma.ClusterGetPayload<{ select: typeof clusterColumns }>;

interface LatestRow {
  id: string;
  receivedAt: Date;
  collectedAt: Date | null;
  evaluatedAt: Date | null;
  score: number | null;
  grade: string | null;
  coverage: number | null;
  cappedBy: string[] | null;
  findingsBySeverity: Record<SeverityKey, FindingCounts> | null;
  diff: SnapshotDiff | null;
}

const EMPTY_COUNTS = (): Record<SeverityKey, FindingCounts> => ({
  CRITICAL: { fail: 0, unknown: 0, excepted: 0 },
  HIGH: { fail: 0, unknown: 0, excepted: 0 },
  MEDIUM: { fail: 0, unknown: 0, excepted: 0 },
  LOW: { fail: 0, unknown: 0, excepted: 0 },
});

export async function loadClusterOverviews(tx: TenantTx, orgId: string, clusters: ClusterRow[], options: { now: Date; trendDays: number }): Promise<ClusterOverview[]> {
  if (clusters.length === 0) return [];
  const clusterIds = clusters.map((c) => c.id);
  const latestIds = clusters.map((c) => c.latestSnapshotId).filter((id): id is string => id !== null);

  const latestRows = latestIds.length
    ? await tx.$queryRaw<LatestRow[]>`
        SELECT id::text AS id, "receivedAt", "collectedAt", "evaluatedAt", score, grade, coverage,
               summary->'cappedBy' AS "cappedBy", summary->'findingsBySeverity' AS "findingsBySeverity", summary->'diff' AS diff
        FROM "Snapshot" WHERE "orgId" = ${orgId} AND id = ANY(${latestIds}::uuid[])`
    : [];
  const layerRows = latestIds.length
    ? await tx.snapshotLayerScore.findMany({ where: { orgId, snapshotId: { in: latestIds } }, select: { snapshotId: true, layer: true, score: true, grade: true, coverage: true } })
    : [];
  const since = new Date(options.now.getTime() - options.trendDays * 24 * 3600 * 1000);
  const trendRows = await tx.dailyScore.findMany({
    where: { orgId, clusterId: { in: clusterIds }, day: { gte: since } },
    select: { clusterId: true, day: true, score: true, grade: true },
    orderBy: [{ clusterId: "asc" }, { day: "asc" }],
  });
  const unfinished = await tx.$queryRaw<{ clusterId: string; id: string; status: string; receivedAt: Date; completedAt: Date | null; error: string | null }[]>`
    SELECT DISTINCT ON ("clusterId") "clusterId", id::text AS id, status::text AS status, "receivedAt", "completedAt", error
    FROM "Snapshot" WHERE "orgId" = ${orgId} AND "clusterId" = ANY(${clusterIds}::text[]) AND status <> 'READY'
    ORDER BY "clusterId", "receivedAt" DESC`;

  const latestById = new Map(latestRows.map((r) => [r.id, r]));
  const layersBySnapshot = new Map<string, LayerScoreView[]>();
  for (const row of layerRows) {
    const list = layersBySnapshot.get(row.snapshotId) ?? [];
    list.push({ id: row.layer, name: LAYERS[row.layer - 1]?.name ?? `Layer ${row.layer}`, score: row.score, grade: row.grade, coverage: row.coverage });
    layersBySnapshot.set(row.snapshotId, list);
  }
  const trendByCluster = new Map<string, TrendPoint[]>();
  for (const row of trendRows) {
    const list = trendByCluster.get(row.clusterId) ?? [];
    list.push({ day: row.day.toISOString().slice(0, 10), score: row.score, grade: row.grade });
    trendByCluster.set(row.clusterId, list);
  }
  const unfinishedByCluster = new Map(unfinished.map((r) => [r.clusterId, r]));

  return clusters.map((c) => {
    const latestRow = c.latestSnapshotId ? latestById.get(c.latestSnapshotId) : undefined;
    const latest: LatestSnapshotView | null =
      latestRow && latestRow.score !== null
        ? {
            snapshotId: latestRow.id,
            collectedAt: latestRow.collectedAt,
            evaluatedAt: latestRow.evaluatedAt,
            score: latestRow.score,
            grade: latestRow.grade ?? "F",
            coverage: latestRow.coverage ?? 0,
            cappedBy: latestRow.cappedBy ?? [],
            findingsBySeverity: latestRow.findingsBySeverity ?? EMPTY_COUNTS(),
            diff: latestRow.diff,
            layers: (layersBySnapshot.get(latestRow.id) ?? []).sort((a, b) => a.id - b.id),
          }
        : null;
    const other = unfinishedByCluster.get(c.id);
    const newerThanLatest = other !== undefined && (!latestRow || other.receivedAt > latestRow.receivedAt);
    const health = clusterHealth(c, options.now);
    return {
      id: c.id,
      name: c.name,
      environment: c.environment,
      scheduleMinutes: c.scheduleMinutes,
      createdAt: c.createdAt,
      lastSeenAt: c.lastSeenAt,
      health,
      stale: health === "stale",
      agentVersion: c.agentVersion,
      schemaVersion: c.schemaVersion,
      kubernetesVersion: c.kubernetesVersion,
      provider: c.provider,
      clusterUid: c.clusterUid,
      latest,
      trend: trendByCluster.get(c.id) ?? [],
      pending: other && newerThanLatest && other.status !== "FAILED" ? { snapshotId: other.id, status: other.status as "RECEIVING" | "QUEUED" | "EVALUATING", receivedAt: other.receivedAt } : null,
      lastFailure: other && newerThanLatest && other.status === "FAILED" ? { snapshotId: other.id, at: other.completedAt ?? other.receivedAt, error: other.error ?? "failed" } : null,
    };
  });
}
