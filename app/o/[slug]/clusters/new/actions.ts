"use server";

import { runOrgAction, type ActionResult } from "@/lib/http/server-action";
import { settings } from "@/lib/config/settings";
import { registerCluster } from "@/lib/clusters/register-cluster";
import { registerClusterInput } from "@/lib/clusters/cluster-input";
import { agentInstallCommands, type InstallCommands } from "@/lib/clusters/install-commands";

export interface IssuedTokenView {
  clusterId: string;
  clusterName: string;
  /** The plaintext token: in this answer only, never stored or logged. */
  token: string;
  prefix: string;
  install: InstallCommands;
  serverUrl: string;
}

export async function registerClusterAction(slug: string, input: unknown): Promise<ActionResult<IssuedTokenView>> {
  return runOrgAction({ slug, action: "cluster:create", schema: registerClusterInput }, input, async ({ scope, input }) => {
    const { cluster, token } = await registerCluster({ scope, input });
    const serverUrl = settings().appUrl;
    return {
      clusterId: cluster.id,
      clusterName: cluster.name,
      token: token.value,
      prefix: token.prefix,
      install: agentInstallCommands({ appUrl: serverUrl, token: token.value, scheduleMinutes: cluster.scheduleMinutes }),
      serverUrl,
    };
  });
}
