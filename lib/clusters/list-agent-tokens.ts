import { notFound } from "@/lib/errors";
import type { TenantScope } from "@/lib/tenancy/tenant-db";

export interface AgentTokenView {
  id: string;
  /** The visible start of the token, e.g. "rpa_3kF9xQ2a". */
  prefix: string;
  createdAt: Date;
  createdBy: { id: string; name: string | null; email: string } | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  active: boolean;
}

/** A cluster's agent tokens, newest first: prefix, creation, last use, revocation. Never the token. */
export async function listAgentTokens(options: { scope: TenantScope; clusterId: string }): Promise<AgentTokenView[]> {
  const { scope } = options;
  scope.assert("cluster:read");
  return scope.transaction(async (tx) => {
    const cluster = await tx.cluster.findFirst({ where: { id: options.clusterId, orgId: scope.orgId }, select: { id: true } });
    if (!cluster) throw notFound("Cluster");
    const tokens = await tx.agentToken.findMany({
      where: { orgId: scope.orgId, clusterId: cluster.id },
      orderBy: { createdAt: "desc" },
      select: { id: true, prefix: true, createdAt: true, createdById: true, lastUsedAt: true, revokedAt: true },
    });
    const creatorIds = [...new Set(tokens.map((t) => t.createdById).filter((id): id is string => id !== null))];
    // Users are global rows: only the organization's members are shown.
    const members = creatorIds.length
      ? await tx.membership.findMany({ where: { orgId: scope.orgId, userId: { in: creatorIds } }, select: { user: { select: { id: true, name: true, email: true } } } })
      : [];
    const users = new Map(members.map((m) => [m.user.id, m.user]));
    return tokens.map((t) => ({
      id: t.id,
      prefix: t.prefix,
      createdAt: t.createdAt,
      createdBy: t.createdById ? (users.get(t.createdById) ?? null) : null,
      lastUsedAt: t.lastUsedAt,
      revokedAt: t.revokedAt,
      active: t.revokedAt === null,
    }));
  });
}
