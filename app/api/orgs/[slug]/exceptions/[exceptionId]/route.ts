import { z } from "zod";
import { orgRoute } from "@/lib/http/api-route";
import { revokeException } from "@/lib/exceptions/revoke-exception";

const params = z.object({ exceptionId: z.string().min(1).max(64) });

/** Revokes the exception; the clusters it covered are re-evaluated. */
export const DELETE = orgRoute({ action: "exception:manage", params }, async ({ scope, params }) => ({
  exception: await revokeException({ scope, exceptionId: params.exceptionId }),
}));
