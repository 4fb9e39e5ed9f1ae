import { notFound, AppError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { createExceptionInput, type CreateExceptionInput } from "./exception-input";
import { reevaluateAffectedClusters } from "./reevaluate-affected-clusters";

/**
 * Records an accepted risk (admins and owners: "exception:manage"), audits it, and queues the
 * re-evaluation of the affected clusters so their scores follow within seconds.
 */
export async function createException(options: { scope: TenantScope; input: CreateExceptionInput; now?: Date }) {
  const { scope } = options;
  scope.assert("exception:manage");
  const input = createExceptionInput.parse(options.input);
  const now = options.now ?? new Date();
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) throw new AppError("validation_failed", "expiresAt: must be in the future", { field: "expiresAt" });
  return scope.transaction(async (tx) => {
    let clusterName: string | null = null;
    if (input.clusterId) {
      const cluster = await tx.cluster.findFirst({ where: { id: input.clusterId, orgId: scope.orgId }, select: { name: true } });
      if (!cluster) throw notFound("Cluster");
      clusterName = cluster.name;
    }
    const exception = await tx.findingException.create({
      data: {
        orgId: scope.orgId,
        clusterId: input.clusterId ?? null,
        checkId: input.checkId,
        namespace: input.namespace ?? null,
        kind: input.kind ?? null,
        namePattern: input.namePattern ?? null,
        reason: input.reason,
        expiresAt: input.expiresAt ?? null,
        createdById: scope.userId,
      },
    });
    const clusters = await reevaluateAffectedClusters(tx, scope.orgId, exception.clusterId);
    // When it expires, the scores must follow again without waiting for the next snapshot.
    if (exception.expiresAt) await reevaluateAffectedClusters(tx, scope.orgId, exception.clusterId, { runAt: new Date(exception.expiresAt.getTime() + 1000), exceptionId: exception.id });
    await recordAuditEvent(tx, {
      orgId: scope.orgId,
      actor: { type: "user", userId: scope.userId },
      action: "exception.created",
      target: { type: "exception", id: exception.id },
      metadata: {
        checkId: exception.checkId,
        cluster: clusterName ?? "all clusters",
        namespace: exception.namespace,
        kind: exception.kind,
        namePattern: exception.namePattern,
        expiresAt: exception.expiresAt?.toISOString() ?? null,
        reason: exception.reason,
        clustersReevaluated: clusters.length,
      },
    });
    return exception;
  });
}
