/**
 * One finding (by id) with its cluster, and the exception a person would most likely write for
 * it: this check, this cluster, this namespace, kind and name. The UI prefills its form with it.
 */
import { notFound } from "@/lib/errors";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { toFindingView, type FindingView } from "./finding-view";
import { isNewRow, SNAPSHOT_POSITION_SELECT } from "./snapshot-membership";

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
  /** The snapshot that first reported the finding. */
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
    const found = await tx.cluster.findFirst({ where: { id: row.clusterId, orgId: scope.orgId }, select: { id: true, name: true, latestSnapshot: { select: SNAPSHOT_POSITION_SELECT } } });
    if (!found) throw notFound("Finding");
    const { latestSnapshot, ...cluster } = found;
    // "New" as the cluster's page shows it: first reported by the latest snapshot.
    const isNew = latestSnapshot !== null && row.endSeq === null && isNewRow(latestSnapshot, row);
    return {
      finding: toFindingView({ ...row, isNew }),
      cluster,
      snapshotId: row.snapshotId,
      exceptionDraft: { clusterId: cluster.id, checkId: row.checkId, namespace: row.namespace, kind: row.kind, namePattern: row.name },
    };
  });
}
