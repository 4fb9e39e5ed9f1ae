import { AppError, notFound } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { issueAgentToken } from "./agent-token";

/** More active tokens than this per cluster means old ones were never revoked. */
export const MAX_ACTIVE_TOKENS_PER_CLUSTER = 5;

/**
 * Issues a new agent token for a cluster. The old ones stay valid until revoked, so the new one
 * can be rolled out first (replace the Secret, wait for a snapshot with it), then the old revoked.
 * The plaintext token is returned here, once.
 */
export async function rotateAgentToken(options: { scope: TenantScope; clusterId: string }) {
  const { scope } = options;
  scope.assert("token:manage");
  const issued = issueAgentToken();
  return scope.transaction(async (tx) => {
    const cluster = await tx.cluster.findFirst({ where: { id: options.clusterId, orgId: scope.orgId }, select: { id: true, name: true, scheduleMinutes: true } });
    if (!cluster) throw notFound("Cluster");
    const active = await tx.agentToken.count({ where: { orgId: scope.orgId, clusterId: cluster.id, revokedAt: null } });
    if (active >= MAX_ACTIVE_TOKENS_PER_CLUSTER) {
      throw new AppError("conflict", `This cluster already has ${active} active tokens; revoke the ones no longer in use first`);
    }
    const token = await tx.agentToken.create({
      data: { orgId: scope.orgId, clusterId: cluster.id, prefix: issued.prefix, tokenHash: issued.tokenHash, createdById: scope.userId },
    });
    await recordAuditEvent(tx, {
      orgId: scope.orgId,
      actor: { type: "user", userId: scope.userId },
      action: "agent_token.created",
      target: { type: "cluster", id: cluster.id },
      metadata: { tokenId: token.id, tokenPrefix: token.prefix, activeTokens: active + 1 },
    });
    return { cluster, token: { id: token.id, prefix: token.prefix, createdAt: token.createdAt, value: issued.token } };
  });
}
