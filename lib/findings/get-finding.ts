/**
 * One finding (by id) with its cluster, and the exception a person would most likely write for
 * it: this check, this cluster, this namespace, kind and name. The UI prefills its form with it.
 */
import { notFound } from "@/lib/errors";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { toFindingView, type FindingView } from "./finding-view";

export interface ExceptionDraft {
  clusterId: string | null;
  checkId: string;
  namespace: string | null;
  kind: string;
  namePattern: string;
}

export interface FindingDetail {
  finding: FindingView;
  cluster: { id: string; name: string };
  snapshotId: string;
  exceptionDraft: ExceptionDraft;
}

export async function getFinding(options: { scope: TenantScope; findingId: string }): Promise<FindingDetail> {
  const { scope } = options;
  scope.assert("finding:read");
  if (!/^\d{1,19}$/.test(options.findingId)) throw notFound("Finding");
  return scope.transaction(async (tx) => {
    const row = await tx.finding.findFirst({ where: { id: BigInt(options.findingId), orgId: scope.orgId } });
    if (!row) throw notFound("Finding");
    const cluster = await tx.cluster.findFirst({ where: { id: row.clusterId, orgId: scope.orgId }, select: { id: true, name: true } });
    if (!cluster) throw notFound("Finding");
    return {
      finding: toFindingView(row),
      cluster,
      snapshotId: row.snapshotId,
      exceptionDraft: { clusterId: cluster.id, checkId: row.checkId, namespace: row.namespace, kind: row.kind, namePattern: row.name },
    };
  });
}
