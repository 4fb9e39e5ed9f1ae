/**
 * Retention, run by the queue: raw snapshots (their chunks, layer scores, and the finding rows
 * only they reported) older than RETENTION_DAYS, except each cluster's latest snapshot, which stays so a quiet cluster
 * keeps showing its last known state; daily scores older than a year; and incomplete snapshots
 * an hour after their last chunk. Works one organization at a time, inside its row-level
 * security context; a SECURITY DEFINER function names the organizations with something to expire.
 */
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import { inTenantTransaction } from "@/lib/tenancy/tenant-db";
import { INCOMPLETE_SNAPSHOT_TTL_MS } from "@/lib/ingest/ingest-limits";

export const DAILY_SCORE_RETENTION_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;
const NEVER = new Date(0);

export interface RetentionResult {
  organizations: number;
  snapshotsDeleted: number;
  incompleteSnapshotsDeleted: number;
  dailyScoresDeleted: number;
  /** Finding rows no remaining snapshot reports (rows span snapshots: lib/findings/snapshot-membership.ts). */
  findingRowsDeleted: number;
}

export interface RetentionOptions {
  prisma: PrismaClient;
  now?: Date;
  retentionDays: number;
  /** "incomplete": only expire snapshots that never completed (the hourly job). */
  only?: "incomplete";
}

export async function applyRetention(options: RetentionOptions): Promise<RetentionResult> {
  const { prisma } = options;
  const now = options.now ?? new Date();
  const incompleteOnly = options.only === "incomplete";
  const snapshotCutoff = incompleteOnly ? NEVER : new Date(now.getTime() - options.retentionDays * DAY_MS);
  const incompleteCutoff = new Date(now.getTime() - INCOMPLETE_SNAPSHOT_TTL_MS);
  const dailyCutoff = incompleteOnly ? NEVER : new Date(now.getTime() - DAILY_SCORE_RETENTION_DAYS * DAY_MS);
  const dailyCutoffDay = dailyCutoff.toISOString().slice(0, 10);

  const orgs = await prisma.$queryRaw<{ org_id: string }[]>`
    SELECT org_id FROM ramparts_retention_org_ids(${snapshotCutoff}::timestamp(3), ${incompleteCutoff}::timestamp(3), ${dailyCutoffDay}::date)`;
  const result: RetentionResult = { organizations: orgs.length, snapshotsDeleted: 0, incompleteSnapshotsDeleted: 0, dailyScoresDeleted: 0, findingRowsDeleted: 0 };
  for (const { org_id: orgId } of orgs) {
    await inTenantTransaction(
      prisma,
      { orgId, userId: null },
      async (tx) => {
        result.incompleteSnapshotsDeleted += await tx.$executeRaw`
          DELETE FROM "Snapshot" WHERE "orgId" = ${orgId} AND status = 'RECEIVING' AND coalesce("lastChunkAt", "receivedAt") < ${incompleteCutoff}`;
        if (incompleteOnly) return;
        result.snapshotsDeleted += await tx.$executeRaw`
          DELETE FROM "Snapshot" s WHERE s."orgId" = ${orgId} AND s."receivedAt" < ${snapshotCutoff}
            AND NOT EXISTS (SELECT 1 FROM "Cluster" c WHERE c."latestSnapshotId" = s.id)`;
        // A detached snapshot's rows went with it (a trigger); rows of the chain that ended before
        // the oldest snapshot left in it are reported by none now.
        result.findingRowsDeleted += await tx.$executeRaw`
          DELETE FROM "Finding" f USING (SELECT "clusterId", min(seq) AS oldest FROM "Snapshot" WHERE "orgId" = ${orgId} AND seq IS NOT NULL GROUP BY "clusterId") c
          WHERE f."orgId" = ${orgId} AND f."clusterId" = c."clusterId" AND f."endSeq" > 0 AND f."endSeq" <= c.oldest`;
        result.dailyScoresDeleted += await tx.$executeRaw`DELETE FROM "DailyScore" WHERE "orgId" = ${orgId} AND day < ${dailyCutoffDay}::date`;
      },
      { timeoutMs: 300_000 },
    );
  }
  return result;
}
