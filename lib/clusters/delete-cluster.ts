import { notFound } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import type { TenantScope } from "@/lib/tenancy/tenant-db";

/**
 * Deletes a cluster with its tokens (the agent is refused from now on), snapshots, findings,
 * scores and cluster-scoped exceptions. The audit log keeps the event (and the cluster's name).
 */
export async function deleteCluster(options: { scope: TenantScope; clusterId: string }): Promise<{ id: string; name: string }> {
  const { scope } = options;
  scope.assert("cluster:delete");
  return scope.transaction(
    async (tx) => {
      const cluster = await tx.cluster.findFirst({ where: { id: options.clusterId, orgId: scope.orgId }, select: { id: true, name: true, environment: true } });
      if (!cluster) throw notFound("Cluster");
      // Snapshots first (their findings go with them through the snapshot's index), then the cluster.
      const snapshots = await tx.snapshot.deleteMany({ where: { orgId: scope.orgId, clusterId: cluster.id } });
      await tx.cluster.delete({ where: { id: cluster.id } });
      await recordAuditEvent(tx, {
        orgId: scope.orgId,
        actor: { type: "user", userId: scope.userId },
        action: "cluster.deleted",
        target: { type: "cluster", id: cluster.id },
        metadata: { name: cluster.name, environment: cluster.environment, snapshotsDeleted: snapshots.count },
      });
      return { id: cluster.id, name: cluster.name };
    },
    { timeoutMs: 120_000 },
  );
}
