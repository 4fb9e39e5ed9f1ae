/**
 * Appends one event to the organization's audit log, inside the caller's transaction so the
 * event and the change it describes are written together or not at all.
 */
import type { TenantTx } from "@/lib/tenancy/tenant-db";
import type { Prisma } from "@/lib/db/generated/prisma/client";

export interface AuditEvent {
  orgId: string;
  actor: { type: "user"; userId: string } | { type: "agent"; tokenId: string } | { type: "system" };
  /** Dotted verb, e.g. "cluster.created", "agent_token.revoked". */
  action: string;
  target: { type: string; id?: string | null };
  /** Never secrets: names, ids, prefixes. */
  metadata?: Prisma.InputJsonObject;
}

export async function recordAuditEvent(tx: TenantTx, event: AuditEvent): Promise<void> {
  await tx.auditLog.create({
    data: {
      orgId: event.orgId,
      actorType: event.actor.type,
      actorUserId: event.actor.type === "user" ? event.actor.userId : null,
      action: event.action,
      targetType: event.target.type,
      targetId: event.target.id ?? null,
      metadata: {
        ...(event.metadata ?? {}),
        ...(event.actor.type === "agent" ? { agentTokenId: event.actor.tokenId } : {}),
      },
    },
  });
}
