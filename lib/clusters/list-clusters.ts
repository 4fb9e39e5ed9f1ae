import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { clusterColumns, loadClusterOverviews, type ClusterOverview } from "./cluster-overview";

/**
 * Every cluster of the organization with its latest score, grade, layer scores, counts by
 * severity, health (stale when silent for twice its schedule) and a daily score trend, sorted
 * by name. The fleet overview's one call.
 */
export async function listClusters(options: { scope: TenantScope; now?: Date; trendDays?: number }): Promise<ClusterOverview[]> {
  const { scope } = options;
  scope.assert("cluster:read");
  const now = options.now ?? new Date();
  return scope.transaction(async (tx) => {
    const clusters = await tx.cluster.findMany({ where: { orgId: scope.orgId }, select: clusterColumns, orderBy: { name: "asc" } });
    return loadClusterOverviews(tx, scope.orgId, clusters, { now, trendDays: options.trendDays ?? 30 });
  });
}
