import { AppError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { isUniqueViolation } from "@/lib/db/prisma-errors";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { issueAgentToken } from "./agent-token";
import { registerClusterInput, type RegisterClusterInput } from "./cluster-input";

/**
 * Registers a cluster and issues its first agent token. The plaintext token is returned here,
 * once; only its hash is stored.
 */
export async function registerCluster(options: { scope: TenantScope; input: RegisterClusterInput }) {
  const { scope } = options;
  scope.assert("cluster:create");
  const input = registerClusterInput.parse(options.input);
  const issued = issueAgentToken();
  try {
    return await scope.transaction(async (tx) => {
      const cluster = await tx.cluster.create({
        data: { orgId: scope.orgId, name: input.name, environment: input.environment, scheduleMinutes: input.scheduleMinutes },
      });
      const token = await tx.agentToken.create({
        data: { orgId: scope.orgId, clusterId: cluster.id, prefix: issued.prefix, tokenHash: issued.tokenHash, createdById: scope.userId },
      });
      await recordAuditEvent(tx, {
        orgId: scope.orgId,
        actor: { type: "user", userId: scope.userId },
        action: "cluster.registered",
        target: { type: "cluster", id: cluster.id },
        metadata: { name: cluster.name, environment: cluster.environment, tokenPrefix: token.prefix },
      });
      return { cluster, token: { id: token.id, prefix: token.prefix, value: issued.token } };
    });
  } catch (error) {
    if (isUniqueViolation(error, "name")) throw new AppError("conflict", "A cluster with this name already exists", { field: "name" });
    throw error;
  }
}
