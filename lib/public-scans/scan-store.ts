/**
 * DomainScan rows: creating, progressing, finishing and reading public domain checks. A running scan whose
 * heartbeat stopped (the process that ran it restarted or died) is turned into a failed one when read, so
 * nothing stays "running" forever.
 */
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import type { DomainReport } from "@/lib/domain-check";
import { CHECK_CATALOG } from "@/lib/domain-check/rules/catalog";
import { CHECK_GROUPS, GROUP_TITLES } from "@/lib/domain-check/rules/types";
import type { GroupOutline, GroupProgress, ScanFailure, StoredScan } from "./scan-view";

/** The runner refreshes heartbeatAt this often while a scan runs. */
export const HEARTBEAT_INTERVAL_MS = 5_000;
/** A running scan without a heartbeat for this long has no live runner. */
export const STALE_AFTER_MS = 20_000;

type Db = Pick<PrismaClient, "domainScan">;

export const GROUP_OUTLINE: GroupOutline[] = CHECK_GROUPS.map((group) => ({
  group,
  title: GROUP_TITLES[group],
  checkCount: CHECK_CATALOG.filter((c) => c.group === group).length,
}));

function json<T>(value: T): T {
  // Drops undefined and anything JSON cannot hold, exactly as the column will.
  return JSON.parse(JSON.stringify(value)) as T;
}

export async function insertRunningScan(db: Db, input: { domain: string; requesterHash: string; now: Date }): Promise<StoredScan> {
  return db.domainScan.create({ data: { domain: input.domain, requesterHash: input.requesterHash, startedAt: input.now, heartbeatAt: input.now } });
}

export async function recordProgress(db: Db, id: string, groups: GroupProgress[], now: Date): Promise<void> {
  await db.domainScan.updateMany({ where: { id, status: "running" }, data: { progress: json(groups) as object[], heartbeatAt: now } });
}

export async function recordHeartbeat(db: Db, id: string, now: Date): Promise<void> {
  await db.domainScan.updateMany({ where: { id, status: "running" }, data: { heartbeatAt: now } });
}

export async function recordFinished(db: Db, id: string, report: DomainReport, now: Date): Promise<void> {
  const stored = json(report);
  await db.domainScan.updateMany({
    where: { id, status: "running" },
    data: {
      status: "finished",
      report: stored as object,
      algorithmVersion: report.score.algorithmVersion,
      grade: report.score.grade,
      score: report.score.score,
      finishedAt: now,
      heartbeatAt: now,
    },
  });
}

export async function recordFailed(db: Db, id: string, code: ScanFailure["code"], now: Date): Promise<void> {
  await db.domainScan.updateMany({ where: { id, status: "running" }, data: { status: "failed", failureCode: code, finishedAt: now } });
}

type Row = StoredScan & { heartbeatAt: Date };

/** A running row without a live runner becomes failed ("interrupted"); the update is conditional on the stale heartbeat. */
async function settleStale(db: Db, row: Row, now: Date): Promise<StoredScan> {
  if (row.status !== "running" || now.getTime() - row.heartbeatAt.getTime() <= STALE_AFTER_MS) return row;
  await db.domainScan.updateMany({ where: { id: row.id, status: "running", heartbeatAt: row.heartbeatAt }, data: { status: "failed", failureCode: "interrupted", finishedAt: now } });
  return (await db.domainScan.findUnique({ where: { id: row.id } })) ?? row;
}

export async function findScan(db: Db, id: string, now: Date): Promise<StoredScan | null> {
  const row = await db.domainScan.findUnique({ where: { id } });
  return row ? settleStale(db, row, now) : null;
}

export async function latestScanOf(db: Db, domain: string, now: Date): Promise<StoredScan | null> {
  const row = await db.domainScan.findFirst({ where: { domain }, orderBy: { startedAt: "desc" } });
  return row ? settleStale(db, row, now) : null;
}

/** The latest finished scan of a domain started after `since`. */
export async function latestFinishedScanOf(db: Db, domain: string, since: Date): Promise<StoredScan | null> {
  return db.domainScan.findFirst({ where: { domain, status: "finished", startedAt: { gte: since } }, orderBy: { startedAt: "desc" } });
}

export async function deleteScansStartedBefore(db: Db, cutoff: Date): Promise<number> {
  const { count } = await db.domainScan.deleteMany({ where: { startedAt: { lt: cutoff } } });
  return count;
}
