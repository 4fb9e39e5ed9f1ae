/**
 * "What changed" on a cluster's page: the findings that appeared since the previous snapshot
 * (Finding.isNew) and the ones that were resolved (in the previous snapshot, by fingerprint,
 * not in this one), with the score before and after.
 */
import { Prisma } from "@/lib/db/generated/prisma/client";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { resolveSnapshot } from "./list-cluster-findings";
import { FINDING_COLUMNS, toFindingView, type FindingRow, type FindingView } from "./finding-view";

export interface SnapshotChanges {
  snapshot: { id: string; collectedAt: Date | null; score: number | null; grade: string | null } | null;
  previous: { id: string; collectedAt: Date | null; score: number | null; grade: string | null } | null;
  newFindings: FindingView[];
  resolvedFindings: FindingView[];
  /** Totals (the lists stop at `limit`). */
  newCount: number;
  resolvedCount: number;
}

export async function getSnapshotChanges(options: { scope: TenantScope; clusterId: string; snapshotId?: string; limit?: number }): Promise<SnapshotChanges> {
  const { scope } = options;
  scope.assert("finding:read");
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1000);
  return scope.transaction(async (tx) => {
    const snapshot = await resolveSnapshot(tx, scope.orgId, options.clusterId, options.snapshotId);
    const empty = { snapshot: null, previous: null, newFindings: [], resolvedFindings: [], newCount: 0, resolvedCount: 0 };
    if (!snapshot) return empty;
    const current = { id: snapshot.id, collectedAt: snapshot.collectedAt, score: snapshot.score, grade: snapshot.grade };
    const newRows = await tx.$queryRaw<FindingRow[]>`
      SELECT ${Prisma.raw(FINDING_COLUMNS)} FROM "Finding" f WHERE f."snapshotId" = ${snapshot.id}::uuid AND f."isNew" ORDER BY f.severity, f.id LIMIT ${limit}`;
    const newCount = await tx.finding.count({ where: { orgId: scope.orgId, snapshotId: snapshot.id, isNew: true } });
    const previous = snapshot.previousSnapshotId
      ? await tx.snapshot.findFirst({ where: { id: snapshot.previousSnapshotId, orgId: scope.orgId }, select: { id: true, collectedAt: true, score: true, grade: true } })
      : null;
    if (!previous) return { ...empty, snapshot: current, newFindings: newRows.map(toFindingView), newCount };
    // No fingerprint index (it slowed the evaluation's bulk insert), and statistics are stale right
    // after that insert: force a hash anti-join, never a nested loop over 50,000 rows.
    await tx.$queryRaw`SELECT set_config('enable_nestloop', 'off', true)`;
    const resolvedWhere = Prisma.sql`f."snapshotId" = ${previous.id}::uuid AND NOT EXISTS (SELECT 1 FROM "Finding" c WHERE c."snapshotId" = ${snapshot.id}::uuid AND c.fingerprint = f.fingerprint)`;
    const resolvedRows = await tx.$queryRaw<FindingRow[]>`SELECT ${Prisma.raw(FINDING_COLUMNS)} FROM "Finding" f WHERE ${resolvedWhere} ORDER BY f.severity, f.id LIMIT ${limit}`;
    const [{ n }] = (await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Finding" f WHERE ${resolvedWhere}`) as [{ n: number }];
    return {
      snapshot: current,
      previous,
      newFindings: newRows.map(toFindingView),
      resolvedFindings: resolvedRows.map((r) => ({ ...toFindingView(r), isNew: false })),
      newCount,
      resolvedCount: n,
    };
  });
}
