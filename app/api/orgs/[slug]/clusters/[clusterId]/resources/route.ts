import { orgRoute } from "@/lib/http/api-route";
import { clusterParams } from "@/lib/clusters/route-params";
import { listResourceFindings, resourceRefSchema } from "@/lib/findings/list-resource-findings";

/** Every finding for one resource: ?kind=Deployment&namespace=shop&name=web. */
export const GET = orgRoute({ action: "finding:read", params: clusterParams, query: resourceRefSchema }, async ({ scope, params, query }) => ({
  resource: await listResourceFindings({ scope, clusterId: params.clusterId, resource: query }),
}));
