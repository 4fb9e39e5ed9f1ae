import { z } from "zod";
import { AppError, notFound } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { isUniqueViolation } from "@/lib/db/prisma-errors";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { clusterNameSchema, environmentSchema } from "./cluster-input";

export const updateClusterInput = z
  .object({
    name: clusterNameSchema.optional(),
    environment: environmentSchema.optional(),
    scheduleMinutes: z.coerce.number().int().min(15).max(1440).optional(),
  })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "Change at least one of name, environment, scheduleMinutes" });
export type UpdateClusterInput = z.input<typeof updateClusterInput>;

/** Renames a cluster or changes its environment label or expected schedule; audited with the changes. */
export async function updateCluster(options: { scope: TenantScope; clusterId: string; input: UpdateClusterInput }) {
  const { scope } = options;
  scope.assert("cluster:update");
  const input = updateClusterInput.parse(options.input);
  try {
    return await scope.transaction(async (tx) => {
      const before = await tx.cluster.findFirst({ where: { id: options.clusterId, orgId: scope.orgId } });
      if (!before) throw notFound("Cluster");
      const cluster = await tx.cluster.update({ where: { id: before.id }, data: input });
      const changes = Object.fromEntries(
        (Object.keys(input) as (keyof typeof input)[]).filter((k) => input[k] !== undefined && input[k] !== before[k]).map((k) => [k, { from: before[k], to: input[k]! }]),
      );
      await recordAuditEvent(tx, { orgId: scope.orgId, actor: { type: "user", userId: scope.userId }, action: "cluster.updated", target: { type: "cluster", id: cluster.id }, metadata: { changes } });
      return cluster;
    });
  } catch (error) {
    if (isUniqueViolation(error, "name")) throw new AppError("conflict", "A cluster with this name already exists", { field: "name" });
    throw error;
  }
}
