/**
 * What changed between two snapshots of a cluster: findings new in `snapshotId` (Finding.isNew)
 * and findings of the previous snapshot whose fingerprint is gone, the first `limit` of each and
 * the totals. Shared by the API (get-snapshot-changes.ts) and the cluster page (lib/dashboard).
 */
import { Prisma } from "@/lib/db/generated/prisma/client";
import type { TenantTx } from "@/lib/tenancy/tenant-db";
import { withPlannerSetting } from "@/lib/db/planner-setting";
import { FINDING_COLUMNS, toFindingView, type FindingRow, type FindingView } from "./finding-view";

export interface SnapshotChangeLists {
  newFindings: FindingView[];
  resolvedFindings: FindingView[];
  newCount: number;
  resolvedCount: number;
}

export async function readSnapshotChanges(tx: TenantTx, snapshotId: string, previousSnapshotId: string | null, limit: number): Promise<SnapshotChangeLists> {
  const newRows = await tx.$queryRaw<FindingRow[]>`
    SELECT ${Prisma.raw(FINDING_COLUMNS)} FROM "Finding" f WHERE f."snapshotId" = ${snapshotId}::uuid AND f."isNew" ORDER BY f.severity, f.id LIMIT ${limit}`;
  const [{ n: newCount }] = (await tx.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "Finding" f WHERE f."snapshotId" = ${snapshotId}::uuid AND f."isNew"`) as [{ n: number }];
  if (!previousSnapshotId) return { newFindings: newRows.map(toFindingView), resolvedFindings: [], newCount, resolvedCount: 0 };
  // No fingerprint index (it slowed the evaluation's bulk insert more than it saves here): a hash anti-join, never a nested loop.
  const gone = Prisma.sql`f."snapshotId" = ${previousSnapshotId}::uuid AND NOT EXISTS (SELECT 1 FROM "Finding" c WHERE c."snapshotId" = ${snapshotId}::uuid AND c.fingerprint = f.fingerprint)`;
  return withPlannerSetting(tx, "enable_nestloop", "off", async () => {
    const resolvedRows = await tx.$queryRaw<FindingRow[]>`SELECT ${Prisma.raw(FINDING_COLUMNS)} FROM "Finding" f WHERE ${gone} ORDER BY f.severity, f.id LIMIT ${limit}`;
    const [{ n: resolvedCount }] = (await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Finding" f WHERE ${gone}`) as [{ n: number }];
    return {
      newFindings: newRows.map(toFindingView),
      resolvedFindings: resolvedRows.map((r) => ({ ...toFindingView(r), isNew: false })),
      newCount,
      resolvedCount,
    };
  });
}
