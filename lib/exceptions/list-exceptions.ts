/**
 * The organization's exceptions for the exceptions page: state (active, expired, revoked), scope,
 * who created them, and how many findings each excepts now (in the clusters' latest snapshots).
 */
import { inLatestSnapshotsWhere } from "@/lib/findings/snapshot-membership";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { checkById } from "@/lib/engine/checks/registry";

export type ExceptionState = "active" | "expired" | "revoked";

export interface ExceptionView {
  id: string;
  state: ExceptionState;
  cluster: { id: string; name: string } | null;
  checkId: string;
  checkTitle: string;
  namespace: string | null;
  kind: string | null;
  namePattern: string | null;
  reason: string;
  expiresAt: Date | null;
  createdAt: Date;
  createdBy: { id: string; name: string | null; email: string } | null;
  revokedAt: Date | null;
  /** Findings it excepts in the clusters' latest snapshots. */
  matchedFindings: number;
}

export function exceptionState(e: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): ExceptionState {
  if (e.revokedAt) return "revoked";
  if (e.expiresAt && e.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}

export async function listExceptions(options: { scope: TenantScope; clusterId?: string; includeInactive?: boolean; now?: Date }): Promise<ExceptionView[]> {
  const { scope } = options;
  scope.assert("finding:read");
  const now = options.now ?? new Date();
  return scope.transaction(async (tx) => {
    const rows = await tx.findingException.findMany({
      where: {
        orgId: scope.orgId,
        ...(options.clusterId ? { OR: [{ clusterId: options.clusterId }, { clusterId: null }] } : {}),
        ...(options.includeInactive ? {} : { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] }),
      },
      orderBy: { createdAt: "desc" },
      include: { cluster: { select: { id: true, name: true } } },
    });
    const clusters = await tx.cluster.findMany({ where: { orgId: scope.orgId, latestSnapshotId: { not: null } }, select: { id: true } });
    const latest = clusters.map((c) => c.id);
    const matched = rows.length && latest.length
      ? await tx.finding.groupBy({ by: ["exceptionId"], where: { ...inLatestSnapshotsWhere(latest), orgId: scope.orgId, exceptionId: { in: rows.map((r) => r.id) } }, _count: { _all: true } })
      : [];
    const matchedById = new Map(matched.map((m) => [m.exceptionId, m._count._all]));
    const creatorIds = [...new Set(rows.map((r) => r.createdById).filter((id): id is string => id !== null))];
    const members = creatorIds.length
      ? await tx.membership.findMany({ where: { orgId: scope.orgId, userId: { in: creatorIds } }, select: { user: { select: { id: true, name: true, email: true } } } })
      : [];
    const users = new Map(members.map((m) => [m.user.id, m.user]));
    return rows.map((r) => ({
      id: r.id,
      state: exceptionState(r, now),
      cluster: r.cluster,
      checkId: r.checkId,
      checkTitle: checkById(r.checkId)?.title ?? r.checkId,
      namespace: r.namespace,
      kind: r.kind,
      namePattern: r.namePattern,
      reason: r.reason,
      expiresAt: r.expiresAt,
      createdAt: r.createdAt,
      createdBy: r.createdById ? (users.get(r.createdById) ?? null) : null,
      revokedAt: r.revokedAt,
      matchedFindings: matchedById.get(r.id) ?? 0,
    }));
  });
}
