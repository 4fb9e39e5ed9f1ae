import { orgRoute } from "@/lib/http/api-route";
import { clusterParams } from "@/lib/clusters/route-params";
import { findingFiltersSchema, pageSchema } from "@/lib/findings/finding-filters";
import { listClusterFindings } from "@/lib/findings/list-cluster-findings";

const query = findingFiltersSchema.extend(pageSchema.shape);

/** The cluster's findings: ?layer, severity, status (comma lists), namespace, check, kind, q, new, cursor, limit. */
export const GET = orgRoute({ action: "finding:read", params: clusterParams, query }, async ({ scope, params, query }) => {
  const { cursor, limit, ...filters } = query;
  return listClusterFindings({ scope, clusterId: params.clusterId, filters, page: { cursor, limit } });
});
