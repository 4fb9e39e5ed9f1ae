/**
 * Which finding rows belong to a snapshot. A row spans the cluster's snapshots that report it
 * (`firstSeq` up to, not including, `endSeq`; `endSeq` null while the latest still reports it),
 * so a snapshot's findings are the rows whose range holds its `seq`. A detached snapshot (one
 * evaluated after a later one of its cluster: a late retry) has rows of its own, both ends 0.
 * Every reader of a snapshot's findings goes through here; see docs/ingest.md ("Findings span
 * snapshots").
 */
import { Prisma } from "@/lib/db/generated/prisma/client";

/** What locates a snapshot's findings. */
export interface SnapshotPosition {
  id: string;
  clusterId: string;
  /** Null for a detached snapshot. */
  seq: number | null;
  /** Nothing is new in a snapshot without a previous one. */
  previousSnapshotId: string | null;
}

/** The columns a query must select (or a Prisma `select` must hold) for `SnapshotPosition`. */
export const SNAPSHOT_POSITION_SELECT = { id: true, clusterId: true, seq: true, previousSnapshotId: true } as const;

/** SQL condition (on alias `f`, or the one given): the rows of the snapshot. */
export function inSnapshot(s: SnapshotPosition, alias = "f"): Prisma.Sql {
  const a = Prisma.raw(alias);
  if (s.seq === null) return Prisma.sql`(${a}."clusterId" = ${s.clusterId} AND ${a}."snapshotId" = ${s.id}::uuid AND ${a}."endSeq" = 0)`;
  return Prisma.sql`(${a}."clusterId" = ${s.clusterId} AND ${a}."firstSeq" <= ${s.seq} AND (${a}."endSeq" IS NULL OR ${a}."endSeq" > ${s.seq}))`;
}

/** The same condition for Prisma's query builder. */
export function inSnapshotWhere(s: SnapshotPosition): Prisma.FindingWhereInput {
  if (s.seq === null) return { clusterId: s.clusterId, snapshotId: s.id, endSeq: 0 };
  return { clusterId: s.clusterId, firstSeq: { lte: s.seq }, OR: [{ endSeq: null }, { endSeq: { gt: s.seq } }] };
}

/**
 * SQL condition (alias f): the rows of the clusters' latest snapshots. The latest snapshot of a
 * cluster always heads its chain (a detached one is never the latest), so its rows are the open ones.
 */
export function inLatestSnapshots(clusterIds: readonly string[]): Prisma.Sql {
  return Prisma.sql`(f."clusterId" = ANY(${clusterIds as string[]}::text[]) AND f."endSeq" IS NULL)`;
}

export function inLatestSnapshotsWhere(clusterIds: readonly string[]): Prisma.FindingWhereInput {
  return { clusterId: { in: [...clusterIds] }, endSeq: null };
}

/** SQL boolean (alias f): the row is new in the snapshot (absent from the previous one). */
export function isNewIn(s: SnapshotPosition): Prisma.Sql {
  // A detached snapshot's rows are its own: "new" for them is the stored summary's count only.
  if (s.seq === null || s.previousSnapshotId === null) return Prisma.sql`false`;
  return Prisma.sql`(f."firstSeq" = ${s.seq})`;
}

/** The same test on a row read through Prisma. */
export function isNewRow(s: SnapshotPosition, row: { firstSeq: number }): boolean {
  return s.seq !== null && s.previousSnapshotId !== null && row.firstSeq === s.seq;
}

/**
 * SQL boolean (alias f) for rows of the clusters' latest snapshots: first seen in that snapshot,
 * when it had a previous one (the check page, across clusters).
 */
export const IS_NEW_IN_LATEST = Prisma.sql`EXISTS (SELECT 1 FROM "Cluster" c JOIN "Snapshot" s ON s.id = c."latestSnapshotId" WHERE c.id = f."clusterId" AND s.seq = f."firstSeq" AND s."previousSnapshotId" IS NOT NULL)`;
