/**
 * The agent's report that this run's snapshot will never be completed (collection failed, the
 * server refused a chunk, or the push ran out of time): the snapshot is marked FAILED with the
 * agent's reason, its stored chunks are dropped, and the cluster page says what went wrong now
 * rather than only "stale" after two missed schedules. Idempotent: a replay of an abandoned
 * snapshot is answered 200; a snapshot already completed cannot be abandoned (409). The first
 * contact may be the abandon itself (collection failed before any chunk): the row is created.
 */
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { inTenantTransaction } from "@/lib/tenancy/tenant-db";
import { SNAPSHOT_SCHEMA_VERSION } from "@/lib/snapshot/schema";
import { snapshotAbandonSchema, type AbandonReason } from "@/lib/snapshot/protocol";
import type { AgentIdentity } from "./authenticate-agent";
import { decodeIngestBody, validateIngestBody } from "./parse-ingest-body";
import { createSnapshotIfAbsent, lockSnapshot } from "./snapshot-lock";

export interface AbandonUpload {
  snapshotId: string;
  raw: Buffer;
  contentEncoding: string | null;
  agentVersion: string | null;
  chartVersion: string | null;
}

export interface AbandonReceipt {
  snapshotId: string;
  status: "abandoned";
  duplicate: boolean;
}

const REASON_TEXT: Record<AbandonReason, string> = {
  collection_failed: "the agent could not collect the cluster",
  push_refused: "the server refused part of the snapshot",
  push_gave_up: "the agent gave up pushing the snapshot",
};

/** What the cluster page shows (Snapshot.error): the reason in words, then the agent's own message. */
export function abandonedError(reason: AbandonReason, message: string): string {
  return `Not received: ${REASON_TEXT[reason]}: ${message}`.slice(0, 500);
}

export async function abandonSnapshot(options: { prisma: PrismaClient; agent: AgentIdentity; upload: AbandonUpload; now?: Date }): Promise<AbandonReceipt> {
  const { prisma, agent, upload } = options;
  const now = options.now ?? new Date();
  const body = validateIngestBody(snapshotAbandonSchema, decodeIngestBody(upload.raw, upload.contentEncoding).value, null);
  if (body.snapshotId !== upload.snapshotId) throw new AppError("validation_failed", "snapshotId: differs from the snapshot id in the URL", { field: "snapshotId" });

  return inTenantTransaction(prisma, { orgId: agent.orgId, userId: null }, async (tx): Promise<AbandonReceipt> => {
    await createSnapshotIfAbsent(tx, {
      id: upload.snapshotId,
      orgId: agent.orgId,
      clusterId: agent.clusterId,
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      agentVersion: upload.agentVersion,
      chartVersion: upload.chartVersion,
      now,
    });
    const snapshot = await lockSnapshot(tx, upload.snapshotId);
    if (!snapshot || snapshot.clusterId !== agent.clusterId) {
      throw new AppError("forbidden", "This snapshot id already belongs to another cluster; the agent must use a new id", { reason: "snapshot_of_another_cluster" });
    }
    if (snapshot.status === "FAILED") return { snapshotId: upload.snapshotId, status: "abandoned", duplicate: true };
    if (snapshot.status !== "RECEIVING") {
      throw new AppError("conflict", "This snapshot is already complete; it cannot be abandoned", { reason: "already_completed" });
    }
    await tx.snapshotChunk.deleteMany({ where: { snapshotId: upload.snapshotId } });
    await tx.snapshot.update({ where: { id: upload.snapshotId }, data: { status: "FAILED", error: abandonedError(body.reason, body.message), lastChunkAt: now } });
    return { snapshotId: upload.snapshotId, status: "abandoned", duplicate: false };
  });
}
