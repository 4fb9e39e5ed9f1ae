/**
 * The organization's exceptions as the engine's exception rules: the ones in force for one
 * cluster (its own and the organization-wide ones), not revoked, not expired at `now`.
 * The rule id is the exception's id, so findings record which exception excepted them.
 */
import type { TenantTx } from "@/lib/tenancy/tenant-db";
import type { ExceptionRule } from "@/lib/engine/exceptions/exception-rule";

export interface StoredException {
  id: string;
  checkId: string;
  namespace: string | null;
  kind: string | null;
  namePattern: string | null;
  labelSelector: string | null;
  reason: string;
  expiresAt: Date | null;
}

/** "app=web,tier=front" → { app: "web", tier: "front" } (equality selectors only). */
export function parseLabelSelector(selector: string | null): Record<string, string> | undefined {
  if (!selector?.trim()) return undefined;
  const labels: Record<string, string> = {};
  for (const part of selector.split(",")) {
    const [key, value] = part.split("=", 2).map((s) => s.trim());
    if (key && value !== undefined) labels[key] = value;
  }
  return Object.keys(labels).length > 0 ? labels : undefined;
}

export function toExceptionRule(exception: StoredException): ExceptionRule {
  const labels = parseLabelSelector(exception.labelSelector);
  return {
    id: exception.id,
    checkId: exception.checkId,
    ...(exception.namespace ? { namespace: exception.namespace } : {}),
    ...(exception.kind ? { kind: exception.kind } : {}),
    ...(exception.namePattern ? { name: exception.namePattern } : {}),
    ...(labels ? { labels } : {}),
    reason: exception.reason,
    ...(exception.expiresAt ? { expiresAt: exception.expiresAt.toISOString() } : {}),
  };
}

export async function loadActiveExceptionRules(tx: TenantTx, options: { orgId: string; clusterId: string; now: Date }): Promise<ExceptionRule[]> {
  const rows = await tx.findingException.findMany({
    where: {
      orgId: options.orgId,
      revokedAt: null,
      OR: [{ clusterId: null }, { clusterId: options.clusterId }],
      AND: [{ OR: [{ expiresAt: null }, { expiresAt: { gt: options.now } }] }],
    },
    orderBy: { createdAt: "asc" },
    select: { id: true, checkId: true, namespace: true, kind: true, namePattern: true, labelSelector: true, reason: true, expiresAt: true },
  });
  return rows.map(toExceptionRule);
}
