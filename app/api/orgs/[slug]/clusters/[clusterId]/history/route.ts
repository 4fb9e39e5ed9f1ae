import { z } from "zod";
import { orgRoute } from "@/lib/http/api-route";
import { clusterParams } from "@/lib/clusters/route-params";
import { getClusterHistory } from "@/lib/clusters/get-cluster-history";

const query = z.object({ days: z.coerce.number().int().min(1).max(366).default(90) });

/** Daily scores (kept a year) and the snapshots of the period, for the score chart. */
export const GET = orgRoute({ action: "cluster:read", params: clusterParams, query }, async ({ scope, params, query }) => ({
  history: await getClusterHistory({ scope, clusterId: params.clusterId, days: query.days }),
}));
