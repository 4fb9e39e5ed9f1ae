"use server";

import { z } from "zod";
import { revalidatePath } from "next/cache";
import { runOrgAction, type ActionResult } from "@/lib/http/server-action";
import { settings } from "@/lib/config/settings";
import { AppError } from "@/lib/errors";
import { updateCluster, updateClusterInput } from "@/lib/clusters/update-cluster";
import { rotateAgentToken } from "@/lib/clusters/rotate-agent-token";
import { revokeAgentToken } from "@/lib/clusters/revoke-agent-token";
import { deleteCluster } from "@/lib/clusters/delete-cluster";
import { agentInstallCommands } from "@/lib/clusters/install-commands";
import type { IssuedTokenView } from "../../new/actions";

const id = z.string().min(1).max(64);

export async function updateClusterAction(slug: string, clusterId: string, input: unknown): Promise<ActionResult<{ name: string }>> {
  return runOrgAction({ slug, action: "cluster:update", schema: updateClusterInput }, input, async ({ scope, input }) => {
    const cluster = await updateCluster({ scope, clusterId: id.parse(clusterId), input });
    revalidatePath(`/o/${slug}/clusters/${cluster.id}`, "layout");
    return { name: cluster.name };
  });
}

export async function rotateTokenAction(slug: string, clusterId: string): Promise<ActionResult<IssuedTokenView>> {
  return runOrgAction({ slug, action: "token:manage", schema: z.object({ clusterId: id }) }, { clusterId }, async ({ scope, input }) => {
    const { cluster, token } = await rotateAgentToken({ scope, clusterId: input.clusterId });
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

export async function revokeTokenAction(slug: string, clusterId: string, tokenId: string): Promise<ActionResult<{ prefix: string }>> {
  return runOrgAction({ slug, action: "token:manage", schema: z.object({ clusterId: id, tokenId: id }) }, { clusterId, tokenId }, async ({ scope, input }) => {
    const token = await revokeAgentToken({ scope, clusterId: input.clusterId, tokenId: input.tokenId });
    return { prefix: token.prefix };
  });
}

export async function deleteClusterAction(slug: string, clusterId: string, confirmName: unknown): Promise<ActionResult<{ name: string }>> {
  return runOrgAction(
    { slug, action: "cluster:delete", schema: z.object({ clusterId: id, confirmName: z.string({ error: "Type the cluster's name" }).trim().min(1, "Type the cluster's name").max(63) }) },
    { clusterId, confirmName },
    async ({ scope, input }) => {
      const current = await scope.db.cluster.findFirst({ where: { id: input.clusterId, orgId: scope.orgId }, select: { name: true } });
      if (current && current.name !== input.confirmName) throw new AppError("validation_failed", "The name does not match the cluster's name", { field: "confirmName" });
      const deleted = await deleteCluster({ scope, clusterId: input.clusterId });
      revalidatePath(`/o/${slug}`);
      return { name: deleted.name };
    },
  );
}
