import { orgRoute } from "@/lib/http/api-route";
import { clusterParams } from "@/lib/clusters/route-params";
import { getCluster } from "@/lib/clusters/get-cluster";
import { updateCluster, updateClusterInput } from "@/lib/clusters/update-cluster";
import { deleteCluster } from "@/lib/clusters/delete-cluster";

export const GET = orgRoute({ action: "cluster:read", params: clusterParams }, async ({ scope, params }) => ({ cluster: await getCluster({ scope, clusterId: params.clusterId }) }));

export const PATCH = orgRoute({ action: "cluster:update", params: clusterParams, body: updateClusterInput }, async ({ scope, params, body }) => ({
  cluster: await updateCluster({ scope, clusterId: params.clusterId, input: body }),
}));

export const DELETE = orgRoute({ action: "cluster:delete", params: clusterParams }, async ({ scope, params }) => {
  await deleteCluster({ scope, clusterId: params.clusterId });
});
