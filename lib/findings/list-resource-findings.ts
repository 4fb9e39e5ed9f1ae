/**
 * The resource view: every finding for one workload (or any resource) in a cluster's latest
 * snapshot, with the failing field paths, grouped by nothing: the engine's order (layer,
 * severity, check, container, path).
 */
import { z } from "zod";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { resolveSnapshot } from "./list-cluster-findings";
import { toFindingView, type FindingView } from "./finding-view";
import { inSnapshotWhere, isNewRow } from "./snapshot-membership";

export const resourceRefSchema = z.object({
  kind: z.string().trim().min(1, "kind is required").max(253),
  /** Absent (or "-") for cluster-scoped resources. */
  namespace: z.preprocess((v) => (v === "" || v === "-" ? undefined : v), z.string().max(253).optional()),
  name: z.string().trim().min(1, "name is required").max(253),
});
export type ResourceRefInput = z.input<typeof resourceRefSchema>;

export interface ResourceFindings {
  snapshot: { id: string; collectedAt: Date | null } | null;
  resource: { kind: string; namespace: string | null; name: string; apiVersion: string | null };
  findings: FindingView[];
  counts: { fail: number; unknown: number; excepted: number };
}

export async function listResourceFindings(options: { scope: TenantScope; clusterId: string; resource: ResourceRefInput; snapshotId?: string }): Promise<ResourceFindings> {
  const { scope } = options;
  scope.assert("finding:read");
  const ref = resourceRefSchema.parse(options.resource);
  return scope.transaction(async (tx) => {
    const snapshot = await resolveSnapshot(tx, scope.orgId, options.clusterId, options.snapshotId);
    const base = { kind: ref.kind, namespace: ref.namespace ?? null, name: ref.name };
    if (!snapshot) return { snapshot: null, resource: { ...base, apiVersion: null }, findings: [], counts: { fail: 0, unknown: 0, excepted: 0 } };
    const rows = await tx.finding.findMany({
      where: { ...inSnapshotWhere(snapshot), orgId: scope.orgId, kind: ref.kind, namespace: ref.namespace ?? null, name: ref.name },
      orderBy: { id: "asc" },
    });
    const findings = rows.map((r) => toFindingView({ ...r, isNew: isNewRow(snapshot, r) }));
    return {
      snapshot: { id: snapshot.id, collectedAt: snapshot.collectedAt },
      resource: { ...base, apiVersion: rows[0]?.apiVersion ?? null },
      findings,
      counts: {
        fail: findings.filter((f) => f.status === "FAIL").length,
        unknown: findings.filter((f) => f.status === "UNKNOWN").length,
        excepted: findings.filter((f) => f.status === "EXCEPTED").length,
      },
    };
  });
}
