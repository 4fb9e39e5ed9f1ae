/**
 * Everything the cluster page shows, loaded side by side: the cluster with its layers, the
 * findings page the URL asks for, the filter menus, what changed, the score history and the
 * live-status version the page polls against.
 */
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { checkById } from "@/lib/engine/checks/registry";
import { getCluster, type ClusterDetail } from "@/lib/clusters/get-cluster";
import { getClusterHistory } from "@/lib/clusters/get-cluster-history";
import { listClusterFindings, listFindingFacets } from "@/lib/findings/list-cluster-findings";
import { getSnapshotChanges, type SnapshotChanges } from "@/lib/findings/get-snapshot-changes";
import type { FindingView } from "@/lib/findings/finding-view";
import { findingFilterParams, type FindingsUrlState } from "./findings-url";
import { getClusterStatus } from "./cluster-status";
import { scoreSeries } from "./score-series";
import type { SeriesPoint } from "./chart-geometry";

export interface ClusterPageData {
  cluster: ClusterDetail;
  statusVersion: string;
  findings: { findings: FindingView[]; total: number; nextCursor: string | null; snapshotId: string } | null;
  facets: { namespaces: { value: string; label: string; count: number }[]; checks: { id: string; title: string; count: number }[] };
  changes: SnapshotChanges | null;
  series: SeriesPoint[];
}

export const FINDINGS_PAGE_SIZE = 50;
const CHANGES_SHOWN = 5;

export async function loadClusterPage(options: { scope: TenantScope; clusterId: string; state: FindingsUrlState; now: Date }): Promise<ClusterPageData> {
  const { scope, clusterId, state, now } = options;
  // The status first: if a snapshot lands in between, the page is older than its version and refreshes once more (never the reverse).
  const status = await getClusterStatus({ scope, clusterId });
  const cluster = await getCluster({ scope, clusterId, now });
  if (!cluster.latest) {
    return { cluster, statusVersion: status.version, findings: null, facets: { namespaces: [], checks: [] }, changes: null, series: [] };
  }
  const [page, facets, changes, history] = await Promise.all([
    listClusterFindings({ scope, clusterId, filters: findingFilterParams(state), page: { cursor: state.cursor, limit: FINDINGS_PAGE_SIZE } }),
    listFindingFacets({ scope, clusterId }),
    getSnapshotChanges({ scope, clusterId, limit: CHANGES_SHOWN }),
    getClusterHistory({ scope, clusterId, now }),
  ]);
  return {
    cluster,
    statusVersion: status.version,
    findings: page.snapshot ? { findings: page.findings, total: page.total, nextCursor: page.nextCursor, snapshotId: page.snapshot.id } : null,
    facets: {
      namespaces: facets.namespaces.map((n) => ({ value: n.namespace ?? "-", label: n.namespace ?? "(cluster-scoped)", count: n.count })),
      checks: facets.checks.map((c) => ({ id: c.checkId, title: checkById(c.checkId)?.title ?? c.checkId, count: c.count })).sort((a, b) => a.title.localeCompare(b.title)),
    },
    changes,
    series: scoreSeries(history),
  };
}
