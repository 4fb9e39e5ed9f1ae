import { orgRoute } from "@/lib/http/api-route";
import { clusterParams } from "@/lib/clusters/route-params";
import { currentSnapshotVersion } from "@/lib/dashboard/snapshot-version";
import { snapshotFacets } from "@/lib/dashboard/snapshot-findings";

/**
 * The findings filter menus (namespaces and checks with counts) of the cluster's current snapshot,
 * loaded by the page after it rendered: hundreds of options stay out of every server render.
 */
export const GET = orgRoute({ action: "finding:read", params: clusterParams }, async ({ scope, params }) => {
  const version = await currentSnapshotVersion(scope, params.clusterId);
  const facets = version ? await snapshotFacets(scope, version) : { namespaces: [], checks: [] };
  return Response.json({ snapshotId: version?.position.id ?? null, facets }, { headers: { "Cache-Control": "private, no-store" } });
});
