/**
 * Exceptions changed: evaluate the cluster's latest snapshot again (its chunks are kept for the
 * retention period), so the score, the layers and the findings follow at once. Older snapshots
 * keep the results they had when they were current: history is not rewritten.
 */
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import { inTenantTransaction } from "@/lib/tenancy/tenant-db";
import { evaluateSnapshot, type EvaluationResult } from "./evaluate-snapshot";

export async function reevaluateCluster(options: { prisma: PrismaClient; orgId: string; clusterId: string; now?: Date }): Promise<EvaluationResult | null> {
  const cluster = await inTenantTransaction(options.prisma, { orgId: options.orgId, userId: null }, (tx) =>
    tx.cluster.findFirst({ where: { id: options.clusterId, orgId: options.orgId }, select: { latestSnapshotId: true } }),
  );
  if (!cluster?.latestSnapshotId) return null;
  return evaluateSnapshot({ prisma: options.prisma, orgId: options.orgId, snapshotId: cluster.latestSnapshotId, mode: "reevaluate", now: options.now });
}
