import { notFound } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { TenantScope } from "@/lib/tenancy/tenant-db";

/** Revokes one of a cluster's agent tokens: the agent using it gets 401 from the next request. Idempotent. */
export async function revokeAgentToken(options: { scope: TenantScope; clusterId: string; tokenId: string }) {
  const { scope } = options;
  scope.assert("token:manage");
  return scope.transaction(async (tx) => {
    const token = await tx.agentToken.findFirst({
      where: { id: options.tokenId, clusterId: options.clusterId, orgId: scope.orgId },
      select: { id: true, prefix: true, clusterId: true, revokedAt: true },
    });
    if (!token) throw notFound("Token");
    if (token.revokedAt) return { id: token.id, prefix: token.prefix, revokedAt: token.revokedAt, alreadyRevoked: true };
    const revokedAt = new Date();
    await tx.agentToken.update({ where: { id: token.id }, data: { revokedAt } });
    const stillActive = await tx.agentToken.count({ where: { orgId: scope.orgId, clusterId: token.clusterId, revokedAt: null } });
    await recordAuditEvent(tx, {
      orgId: scope.orgId,
      actor: { type: "user", userId: scope.userId },
      action: "agent_token.revoked",
      target: { type: "cluster", id: token.clusterId },
      metadata: { tokenId: token.id, tokenPrefix: token.prefix, activeTokens: stillActive },
    });
    return { id: token.id, prefix: token.prefix, revokedAt, alreadyRevoked: false };
  });
}
