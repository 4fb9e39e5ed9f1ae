import { orgRoute } from "@/lib/http/api-route";
import { clusterParams } from "@/lib/clusters/route-params";
import { listFindingFacets } from "@/lib/findings/list-cluster-findings";

/** Namespaces and checks present in the latest findings, with counts (filter menus). */
export const GET = orgRoute({ action: "finding:read", params: clusterParams }, async ({ scope, params }) => ({
  facets: await listFindingFacets({ scope, clusterId: params.clusterId }),
}));
