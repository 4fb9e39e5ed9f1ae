/**
 * For the checks catalog page: how many findings each check has across the organization's
 * clusters (their latest snapshots) and in how many clusters. One grouped query, kept in the
 * snapshot cache until one of those snapshots changes or is evaluated again.
 */
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { snapshotCache } from "./snapshot-cache";
import { inLatestSnapshots } from "@/lib/findings/snapshot-membership";

export interface CheckCount {
  checkId: string;
  failing: number;
  unknown: number;
  excepted: number;
  clusters: number;
}

export async function countFindingsByCheck(options: { scope: TenantScope }): Promise<Map<string, CheckCount>> {
  const { scope } = options;
  scope.assert("finding:read");
  const clusters = await scope.db.cluster.findMany({
    where: { orgId: scope.orgId, latestSnapshotId: { not: null } },
    select: { id: true, latestSnapshotId: true, latestSnapshot: { select: { evaluationCount: true } } },
    orderBy: { id: "asc" },
  });
  if (clusters.length === 0) return new Map();
  const clusterIds = clusters.map((c) => c.id);
  const key = [scope.orgId, "check-counts", ...clusters.map((c) => `${c.latestSnapshotId}:${c.latestSnapshot?.evaluationCount ?? 0}`)].join("|");
  return snapshotCache.get(key, () =>
    scope.transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ checkId: string; clusterId: string; status: string; n: number }[]>`
        SELECT f."checkId", f."clusterId", f.status::text AS status, count(*)::int AS n
        FROM "Finding" f WHERE f."orgId" = ${scope.orgId} AND ${inLatestSnapshots(clusterIds)}
        GROUP BY f."checkId", f."clusterId", f.status`;
      const counts = new Map<string, CheckCount>();
      const seenIn = new Map<string, Set<string>>();
      for (const row of rows) {
        const c = counts.get(row.checkId) ?? { checkId: row.checkId, failing: 0, unknown: 0, excepted: 0, clusters: 0 };
        if (row.status === "FAIL") c.failing += row.n;
        else if (row.status === "UNKNOWN") c.unknown += row.n;
        else c.excepted += row.n;
        const set = seenIn.get(row.checkId) ?? new Set<string>();
        set.add(row.clusterId);
        seenIn.set(row.checkId, set);
        c.clusters = set.size;
        counts.set(row.checkId, c);
      }
      return counts;
    }),
  );
}
