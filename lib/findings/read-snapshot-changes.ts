/**
 * What changed between a snapshot and the previous one of its cluster: findings new in it and
 * findings of the previous snapshot whose fingerprint is gone, the first `limit` of each and the
 * totals. In the cluster's chain these are the rows that start at the snapshot and the rows that
 * end there (lib/findings/snapshot-membership.ts); a detached snapshot is compared by
 * fingerprint. Shared by the API (get-snapshot-changes.ts) and the cluster page (lib/dashboard).
 */
import { Prisma } from "@/lib/db/generated/prisma/client";
import type { TenantTx } from "@/lib/tenancy/tenant-db";
import { withPlannerSetting } from "@/lib/db/planner-setting";
import { findingColumns, toFindingView, type FindingRow, type FindingView } from "./finding-view";
import { inSnapshot, SNAPSHOT_POSITION_SELECT, type SnapshotPosition } from "./snapshot-membership";

export interface SnapshotChangeLists {
  newFindings: FindingView[];
  resolvedFindings: FindingView[];
  newCount: number;
  resolvedCount: number;
}

const NONE: SnapshotChangeLists = { newFindings: [], resolvedFindings: [], newCount: 0, resolvedCount: 0 };

export async function readSnapshotChanges(tx: TenantTx, snapshot: SnapshotPosition, limit: number): Promise<SnapshotChangeLists> {
  if (!snapshot.previousSnapshotId) return NONE;
  if (snapshot.seq !== null) {
    const cluster = Prisma.sql`f."clusterId" = ${snapshot.clusterId}`;
    return readLists(tx, Prisma.sql`${cluster} AND f."firstSeq" = ${snapshot.seq}`, Prisma.sql`${cluster} AND f."endSeq" = ${snapshot.seq}`, limit);
  }
  const previous = await tx.snapshot.findFirst({ where: { id: snapshot.previousSnapshotId }, select: SNAPSHOT_POSITION_SELECT });
  if (!previous) return NONE;
  // No fingerprint index (it slowed the evaluation's bulk insert more than it saves here): hash anti-joins, never nested loops.
  const appeared = Prisma.sql`${inSnapshot(snapshot)} AND NOT EXISTS (SELECT 1 FROM "Finding" g WHERE ${inSnapshot(previous, "g")} AND g.fingerprint = f.fingerprint)`;
  const gone = Prisma.sql`${inSnapshot(previous)} AND NOT EXISTS (SELECT 1 FROM "Finding" g WHERE ${inSnapshot(snapshot, "g")} AND g.fingerprint = f.fingerprint)`;
  return withPlannerSetting(tx, "enable_nestloop", "off", () => readLists(tx, appeared, gone, limit));
}

async function readLists(tx: TenantTx, appeared: Prisma.Sql, gone: Prisma.Sql, limit: number): Promise<SnapshotChangeLists> {
  const columns = findingColumns(Prisma.sql`true`);
  const newRows = await tx.$queryRaw<FindingRow[]>`SELECT ${columns} FROM "Finding" f WHERE ${appeared} ORDER BY f.severity, f.id LIMIT ${limit}`;
  const [{ n: newCount }] = (await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Finding" f WHERE ${appeared}`) as [{ n: number }];
  const resolvedRows = await tx.$queryRaw<FindingRow[]>`SELECT ${findingColumns(Prisma.sql`false`)} FROM "Finding" f WHERE ${gone} ORDER BY f.severity, f.id LIMIT ${limit}`;
  const [{ n: resolvedCount }] = (await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Finding" f WHERE ${gone}`) as [{ n: number }];
  return { newFindings: newRows.map(toFindingView), resolvedFindings: resolvedRows.map(toFindingView), newCount, resolvedCount };
}
