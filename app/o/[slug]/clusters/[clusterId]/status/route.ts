import { orgRoute } from "@/lib/http/api-route";
import { clusterParams } from "@/lib/clusters/route-params";
import { getClusterStatus } from "@/lib/dashboard/cluster-status";

/** What the cluster page polls: a version that changes when a snapshot arrives or is re-evaluated. */
export const GET = orgRoute({ action: "cluster:read", params: clusterParams }, async ({ scope, params }) => {
  const status = await getClusterStatus({ scope, clusterId: params.clusterId });
  return Response.json({ status }, { headers: { "Cache-Control": "no-store" } });
});
