import { notFound } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { reevaluateAffectedClusters } from "./reevaluate-affected-clusters";

/** Ends an exception now (idempotent), audits it, and queues the re-evaluation of the clusters it covered. */
export async function revokeException(options: { scope: TenantScope; exceptionId: string }) {
  const { scope } = options;
  scope.assert("exception:manage");
  return scope.transaction(async (tx) => {
    const exception = await tx.findingException.findFirst({ where: { id: options.exceptionId, orgId: scope.orgId } });
    if (!exception) throw notFound("Exception");
    if (exception.revokedAt) return { ...exception, alreadyRevoked: true };
    const revoked = await tx.findingException.update({ where: { id: exception.id }, data: { revokedAt: new Date(), revokedById: scope.userId } });
    const clusters = await reevaluateAffectedClusters(tx, scope.orgId, exception.clusterId);
    await recordAuditEvent(tx, {
      orgId: scope.orgId,
      actor: { type: "user", userId: scope.userId },
      action: "exception.revoked",
      target: { type: "exception", id: exception.id },
      metadata: { checkId: exception.checkId, clusterId: exception.clusterId, clustersReevaluated: clusters.length },
    });
    return { ...revoked, alreadyRevoked: false };
  });
}
