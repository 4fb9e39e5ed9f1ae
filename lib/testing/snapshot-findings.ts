/**
 * For tests: the Prisma condition for a snapshot's finding rows (rows span snapshots:
 * lib/findings/snapshot-membership.ts), so a test counts what the snapshot reports.
 */
import type { Prisma } from "@/lib/db/generated/prisma/client";
import { inSnapshotWhere, SNAPSHOT_POSITION_SELECT } from "@/lib/findings/snapshot-membership";
import type { TenantScope } from "@/lib/tenancy/tenant-db";

export async function findingsOf(scope: Pick<TenantScope, "db">, snapshotId: string): Promise<Prisma.FindingWhereInput> {
  const snapshot = await scope.db.snapshot.findUniqueOrThrow({ where: { id: snapshotId }, select: SNAPSHOT_POSITION_SELECT });
  return inSnapshotWhere(snapshot);
}
