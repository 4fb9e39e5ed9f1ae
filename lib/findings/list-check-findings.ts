/**
 * A check's page: its catalog entry (title, why, the remediation guide in Markdown, references)
 * and every resource it flags across the organization's clusters (their latest snapshots),
 * filtered and paged like a cluster's findings, with the count per cluster.
 */
import { notFound } from "@/lib/errors";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { checkById } from "@/lib/engine/checks/registry";
import type { CheckMeta } from "@/lib/engine/model/check";
import { LAYERS } from "@/lib/engine/model/layers";
import { findingFiltersSchema, pageSchema, type FindingFilters, type PageInput } from "./finding-filters";
import { queryFindingsPage } from "./list-cluster-findings";
import { toFindingView, type FindingView } from "./finding-view";
import { inLatestSnapshots, inLatestSnapshotsWhere, IS_NEW_IN_LATEST } from "./snapshot-membership";

export interface CheckCatalogView extends Omit<CheckMeta, "needs"> {
  layerName: string;
}

export interface CheckFindingsPage {
  check: CheckCatalogView;
  /** Clusters with at least one finding of this check, and how many. */
  clusters: { id: string; name: string; environment: string; count: number }[];
  findings: (FindingView & { cluster: { id: string; name: string } })[];
  total: number;
  nextCursor: string | null;
}

export function checkCatalogView(checkId: string): CheckCatalogView {
  const check = checkById(checkId);
  if (!check) throw notFound("Check");
  return {
    id: check.id,
    title: check.title,
    layer: check.layer,
    layerName: LAYERS[check.layer - 1]!.name,
    severity: check.severity,
    scope: check.scope,
    why: check.why,
    guide: check.guide,
    references: check.references,
  };
}

export async function listCheckFindings(options: { scope: TenantScope; checkId: string; filters?: Partial<FindingFilters> | Record<string, unknown>; page?: PageInput }): Promise<CheckFindingsPage> {
  const { scope } = options;
  scope.assert("finding:read");
  const check = checkCatalogView(options.checkId);
  const filters = { ...findingFiltersSchema.parse(options.filters ?? {}), check: check.id };
  const page = pageSchema.parse(options.page ?? {});
  return scope.transaction(async (tx) => {
    const clusters = await tx.cluster.findMany({ where: { orgId: scope.orgId, latestSnapshotId: { not: null } }, select: { id: true, name: true, environment: true, latestSnapshotId: true } });
    const byId = new Map(clusters.map((c) => [c.id, c]));
    if (clusters.length === 0) return { check, clusters: [], findings: [], total: 0, nextCursor: null };
    const clusterIds = [...byId.keys()];
    const counts = await tx.finding.groupBy({ by: ["clusterId"], where: { ...inLatestSnapshotsWhere(clusterIds), orgId: scope.orgId, checkId: check.id }, _count: { _all: true } });
    const result = await queryFindingsPage(tx, { in: inLatestSnapshots(clusterIds), isNew: IS_NEW_IN_LATEST }, filters, page);
    return {
      check,
      clusters: counts
        .map((c) => ({ cluster: byId.get(c.clusterId)!, count: c._count._all }))
        .map(({ cluster, count }) => ({ id: cluster.id, name: cluster.name, environment: cluster.environment, count }))
        .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
      findings: result.rows.map((row) => {
        const cluster = byId.get(row.clusterId)!;
        return { ...toFindingView(row), cluster: { id: cluster.id, name: cluster.name } };
      }),
      total: result.total,
      nextCursor: result.nextCursor,
    };
  });
}
