import { orgRoute } from "@/lib/http/api-route";
import { tokenParams } from "@/lib/clusters/route-params";
import { revokeAgentToken } from "@/lib/clusters/revoke-agent-token";

/** Revokes the token: its agent is refused (401) from the next request. */
export const DELETE = orgRoute({ action: "token:manage", params: tokenParams }, async ({ scope, params }) => ({
  token: await revokeAgentToken({ scope, clusterId: params.clusterId, tokenId: params.tokenId }),
}));
