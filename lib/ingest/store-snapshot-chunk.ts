/**
 * Stores one chunk of a snapshot, idempotently: the same (snapshot, index) with the same bytes
 * is a replay (stored once, answered "duplicate"); other bytes for a stored index are a
 * conflict. A snapshot id is bound to the cluster of its first chunk; another cluster's token
 * using it is refused. Replays are recognized before the body is inflated.
 */
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { databaseRunsInProcess } from "@/lib/db/client";
import { inTenantTransaction } from "@/lib/tenancy/tenant-db";
import type { AgentIdentity } from "./authenticate-agent";
import { decodeIngestBodyAsync } from "./parse-ingest-body";
import { validateSnapshotChunk } from "./validate-snapshot-chunk";
import { createSnapshotIfAbsent, lockSnapshot, type LockedSnapshot } from "./snapshot-lock";
import { ParsedChunkCache, parsedChunkCache } from "./parsed-chunk-cache";
import { openFindingsPrefetch } from "./open-findings";

export interface ChunkUpload {
  snapshotId: string;
  index: number;
  /** The body exactly as sent (gzip); stored as is. */
  raw: Buffer;
  /** sha256 (hex) of `raw`. */
  sha256: string;
  agentVersion: string | null;
  chartVersion: string | null;
}

export interface ChunkReceipt {
  snapshotId: string;
  index: number;
  sha256: string;
  stored: "new" | "duplicate";
}

const otherCluster = () => new AppError("forbidden", "This snapshot id already belongs to another cluster; the agent must use a new id", { reason: "snapshot_of_another_cluster" });

function checkExisting(snapshot: LockedSnapshot | null, agent: AgentIdentity): void {
  if (snapshot && snapshot.clusterId !== agent.clusterId) throw otherCluster();
}

async function storedChunkDigest(prisma: PrismaClient, agent: AgentIdentity, snapshotId: string, index: number) {
  return inTenantTransaction(prisma, { orgId: agent.orgId, userId: null }, async (tx) => {
    const snapshot = await tx.snapshot.findUnique({ where: { id: snapshotId }, select: { clusterId: true, status: true } });
    const chunk = snapshot ? await tx.snapshotChunk.findUnique({ where: { snapshotId_index: { snapshotId, index } }, select: { sha256: true } }) : null;
    return { snapshot, chunk };
  });
}

/** A chunk for a snapshot that no longer takes chunks: completed, or abandoned by its agent. */
function notReceiving(status: string): AppError {
  return status === "FAILED"
    ? new AppError("conflict", "This snapshot was abandoned or refused; send new chunks under a new snapshot id", { reason: "snapshot_failed" })
    : new AppError("conflict", "This snapshot is already complete; send new chunks under a new snapshot id", { reason: "already_completed" });
}

function replayOrConflict(stored: { sha256: string }, upload: ChunkUpload): ChunkReceipt {
  if (stored.sha256 !== upload.sha256) {
    throw new AppError("conflict", `Chunk ${upload.index} of this snapshot is already stored with other content`, { reason: "chunk_conflict" });
  }
  return { snapshotId: upload.snapshotId, index: upload.index, sha256: upload.sha256, stored: "duplicate" };
}

export async function storeSnapshotChunk(options: { prisma: PrismaClient; agent: AgentIdentity; upload: ChunkUpload; now?: Date }): Promise<ChunkReceipt> {
  const { prisma, agent, upload } = options;
  const now = options.now ?? new Date();

  // Cheap answers first: replays and conflicts need no inflating.
  const known = await storedChunkDigest(prisma, agent, upload.snapshotId, upload.index);
  if (known.snapshot && known.snapshot.clusterId !== agent.clusterId) throw otherCluster();
  if (known.chunk) return replayOrConflict(known.chunk, upload);
  if (known.snapshot && known.snapshot.status !== "RECEIVING") throw notReceiving(known.snapshot.status);

  // A new snapshot: the database is idle while its chunks are parsed, so the diff's base is read now.
  if (!known.snapshot && !databaseRunsInProcess(prisma)) openFindingsPrefetch.prefetch(prisma, agent.orgId, agent.clusterId);
  const decoded = await decodeIngestBodyAsync(upload.raw, "gzip");
  const body = validateSnapshotChunk(decoded.value);
  if (body.snapshotId !== upload.snapshotId) throw new AppError("validation_failed", "snapshotId: differs from the snapshot id in the URL", { field: "snapshotId" });
  if (body.index !== upload.index) throw new AppError("validation_failed", "index: differs from the chunk index in the URL", { field: "index" });

  const receipt = await inTenantTransaction(prisma, { orgId: agent.orgId, userId: null }, async (tx): Promise<ChunkReceipt> => {
    await createSnapshotIfAbsent(tx, {
      id: upload.snapshotId,
      orgId: agent.orgId,
      clusterId: agent.clusterId,
      schemaVersion: body.schemaVersion,
      agentVersion: upload.agentVersion,
      chartVersion: upload.chartVersion,
      now,
    });
    const snapshot = await lockSnapshot(tx, upload.snapshotId);
    // Created by nobody visible: the id is taken in another organization.
    if (!snapshot) throw otherCluster();
    checkExisting(snapshot, agent);
    // The row lock serializes chunks of one snapshot: what is stored now stays stored.
    const stored = await tx.snapshotChunk.findUnique({ where: { snapshotId_index: { snapshotId: upload.snapshotId, index: upload.index } }, select: { sha256: true } });
    if (stored) return replayOrConflict(stored, upload);
    if (snapshot.status !== "RECEIVING") throw notReceiving(snapshot.status);
    // Raw SQL: through the query builder, half a megabyte of bytes took several times as long as the insert itself.
    await tx.$executeRaw`
      INSERT INTO "SnapshotChunk" ("snapshotId", index, "orgId", sha256, body, "sizeBytes", "objectCount", "receivedAt")
      VALUES (${upload.snapshotId}::uuid, ${upload.index}, ${agent.orgId}, ${upload.sha256}, ${upload.raw}, ${upload.raw.length}, ${body.objects.length}, ${now})`;
    await tx.snapshot.update({ where: { id: upload.snapshotId }, data: { lastChunkAt: now } });
    return { snapshotId: upload.snapshotId, index: upload.index, sha256: upload.sha256, stored: "new" };
  });
  if (receipt.stored === "new") {
    // The objects as parsed here are exactly the stored bytes': the evaluation job may reuse them.
    parsedChunkCache.put(ParsedChunkCache.key(upload.snapshotId, upload.index, upload.sha256), body.objects, decoded.bytes);
  }
  return receipt;
}
