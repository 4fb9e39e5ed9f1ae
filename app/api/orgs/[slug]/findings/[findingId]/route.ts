import { z } from "zod";
import { orgRoute } from "@/lib/http/api-route";
import { getFinding } from "@/lib/findings/get-finding";

const params = z.object({ findingId: z.string().min(1).max(20) });

/** One finding with its cluster and a prefilled exception draft. */
export const GET = orgRoute({ action: "finding:read", params }, async ({ scope, params }) => getFinding({ scope, findingId: params.findingId }));
