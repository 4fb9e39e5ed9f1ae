/**
 * Row-locks a snapshot inside an ingest transaction, so a chunk, a completion and an evaluation
 * of the same snapshot never interleave. Row-level security hides other organizations'
 * snapshots: "not visible" here means the id is free or belongs to another tenant.
 */
import type { TenantTx } from "@/lib/tenancy/tenant-db";
import type { SnapshotStatus } from "@/lib/db/generated/prisma/enums";

export interface LockedSnapshot {
  id: string;
  clusterId: string;
  status: SnapshotStatus;
  completionSha256: string | null;
  error: string | null;
}

export async function lockSnapshot(tx: TenantTx, snapshotId: string): Promise<LockedSnapshot | null> {
  const rows = await tx.$queryRaw<LockedSnapshot[]>`
    SELECT id::text AS id, "clusterId", status::text AS status, "completionSha256", error
    FROM "Snapshot" WHERE id = ${snapshotId}::uuid FOR UPDATE`;
  return rows[0] ?? null;
}

/** Creates the snapshot row on first contact; a row that exists (here or in another tenant) is left alone. */
export async function createSnapshotIfAbsent(
  tx: TenantTx,
  data: { id: string; orgId: string; clusterId: string; schemaVersion: string; agentVersion: string | null; chartVersion: string | null; now: Date },
): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "Snapshot" (id, "orgId", "clusterId", status, "schemaVersion", "agentVersion", "chartVersion", "receivedAt", "lastChunkAt")
    VALUES (${data.id}::uuid, ${data.orgId}, ${data.clusterId}, 'RECEIVING', ${data.schemaVersion}, ${data.agentVersion}, ${data.chartVersion}, ${data.now}, ${data.now})
    ON CONFLICT (id) DO NOTHING`;
}
