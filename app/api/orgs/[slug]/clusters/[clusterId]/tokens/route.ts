import { NextResponse } from "next/server";
import { orgRoute } from "@/lib/http/api-route";
import { settings } from "@/lib/config/settings";
import { clusterParams } from "@/lib/clusters/route-params";
import { listAgentTokens } from "@/lib/clusters/list-agent-tokens";
import { rotateAgentToken } from "@/lib/clusters/rotate-agent-token";
import { agentInstallCommands } from "@/lib/clusters/install-commands";

/** The cluster's agent tokens: prefix, created, last used, revoked. */
export const GET = orgRoute({ action: "cluster:read", params: clusterParams }, async ({ scope, params }) => ({ tokens: await listAgentTokens({ scope, clusterId: params.clusterId }) }));

/** A new token (rotation): the old ones stay valid until revoked. Shown once, with install commands. */
export const POST = orgRoute({ action: "token:manage", params: clusterParams }, async ({ scope, params }) => {
  const { cluster, token } = await rotateAgentToken({ scope, clusterId: params.clusterId });
  const install = agentInstallCommands({ appUrl: settings().appUrl, token: token.value, scheduleMinutes: cluster.scheduleMinutes });
  return NextResponse.json({ token, install }, { status: 201 });
});
