import { z } from "zod";
import { orgRoute } from "@/lib/http/api-route";
import { clusterParams } from "@/lib/clusters/route-params";
import { getSnapshotChanges } from "@/lib/findings/get-snapshot-changes";

const query = z.object({ snapshotId: z.string().uuid().optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) });

/** New and resolved findings of the latest (or a given) snapshot against the one before. */
export const GET = orgRoute({ action: "finding:read", params: clusterParams, query }, async ({ scope, params, query }) => ({
  changes: await getSnapshotChanges({ scope, clusterId: params.clusterId, snapshotId: query.snapshotId, limit: query.limit }),
}));
