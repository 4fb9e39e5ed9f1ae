import { orgRoute } from "@/lib/http/api-route";
import { clusterParams } from "@/lib/clusters/route-params";
import { findingFiltersSchema } from "@/lib/findings/finding-filters";
import { exportClusterFindings, exportFormatSchema } from "@/lib/findings/export-cluster-findings";

const query = findingFiltersSchema.extend({ format: exportFormatSchema.default("json") });

/** The latest findings as a download: ?format=json|csv|sarif (and the findings filters). */
export const GET = orgRoute({ action: "finding:export", params: clusterParams, query }, async ({ scope, params, query }) => {
  const { format, ...filters } = query;
  const file = await exportClusterFindings({ scope, clusterId: params.clusterId, format, filters });
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "Cache-Control": "no-store",
    },
  });
});
