import { NextResponse } from "next/server";
import { orgRoute } from "@/lib/http/api-route";
import { settings } from "@/lib/config/settings";
import { listClusters } from "@/lib/clusters/list-clusters";
import { registerCluster } from "@/lib/clusters/register-cluster";
import { registerClusterInput } from "@/lib/clusters/cluster-input";
import { agentInstallCommands } from "@/lib/clusters/install-commands";

/** Every cluster with its latest score, layers, counts, health and trend. */
export const GET = orgRoute({ action: "cluster:read" }, async ({ scope }) => ({ clusters: await listClusters({ scope }) }));

/** Registers a cluster; the answer carries its agent token and install commands, once. */
export const POST = orgRoute({ action: "cluster:create", body: registerClusterInput }, async ({ scope, body }) => {
  const { cluster, token } = await registerCluster({ scope, input: body });
  const install = agentInstallCommands({ appUrl: settings().appUrl, token: token.value, scheduleMinutes: cluster.scheduleMinutes });
  return NextResponse.json({ cluster, token, install }, { status: 201 });
});
