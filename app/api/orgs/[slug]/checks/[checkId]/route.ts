import { z } from "zod";
import { orgRoute } from "@/lib/http/api-route";
import { findingFiltersSchema, pageSchema } from "@/lib/findings/finding-filters";
import { listCheckFindings } from "@/lib/findings/list-check-findings";

const params = z.object({ checkId: z.string().min(1).max(100) });
const query = findingFiltersSchema.omit({ check: true }).extend(pageSchema.shape);

/** A check's catalog entry (guide included) and every resource it flags across the organization's clusters. */
export const GET = orgRoute({ action: "finding:read", params, query }, async ({ scope, params, query }) => {
  const { cursor, limit, ...filters } = query;
  return listCheckFindings({ scope, checkId: params.checkId, filters, page: { cursor, limit } });
});
