/**
 * The agent → ingest upload protocol (docs/agent-protocol.md is the prose of this file).
 * A snapshot travels as gzip chunks of objects, then one completion call carrying the header
 * and the sha256 of every chunk. The server assembles header + objects (chunk order) into a SnapshotV1.
 */
import { z } from "zod";
import { kubeObjectSchema, snapshotHeaderSchema } from "./schema";

export const INGEST_API_PREFIX = "/api/ingest/v1";
/** Hard limit on the gzip-compressed body of one chunk, enforced by both sides. */
export const MAX_CHUNK_COMPRESSED_BYTES = 2 * 1024 * 1024;
/** The agent never puts more than this (uncompressed JSON) in one chunk. */
export const MAX_CHUNK_UNCOMPRESSED_BYTES = 16 * 1024 * 1024;
/** Suggested server-side cap when gunzipping a chunk (zip-bomb guard); above it answer 413. */
export const SUGGESTED_MAX_CHUNK_DECOMPRESSED_BYTES = 32 * 1024 * 1024;
/**
 * The agent uploads at most this many chunks of a snapshot at once (docs/agent-protocol.md): the
 * server parses one while it stores another, and a high-latency link carries two per round trip.
 */
export const CHUNKS_IN_FLIGHT = 2;
/** A snapshot has at most this many chunks (index 0..MAX_CHUNKS-1). */
export const MAX_CHUNKS = 2000;

/** UUIDv7 in its canonical lower-case form: version nibble 7, RFC 4122 variant. */
export const snapshotIdSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, "snapshotId must be a lower-case UUIDv7");

export const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, "sha256 must be 64 lower-case hex digits");

/** Body of `POST {prefix}/snapshots/{snapshotId}/chunks/{index}` once gunzipped. */
export const snapshotChunkSchema = z.object({
  schemaVersion: z.string().regex(/^1\.\d+$/, "schemaVersion must be 1.x"),
  snapshotId: snapshotIdSchema,
  index: z.number().int().nonnegative().max(MAX_CHUNKS - 1),
  objects: z.array(kubeObjectSchema).min(1),
});
export type SnapshotChunk = z.infer<typeof snapshotChunkSchema>;

export const chunkReceiptSchema = z.object({
  index: z.number().int().nonnegative().max(MAX_CHUNKS - 1),
  /** sha256 of the exact compressed bytes sent as the chunk's body. */
  sha256: sha256HexSchema,
  objectCount: z.number().int().positive(),
  compressedBytes: z.number().int().positive().max(MAX_CHUNK_COMPRESSED_BYTES),
});
export type ChunkReceipt = z.infer<typeof chunkReceiptSchema>;

/** Body of `POST {prefix}/snapshots/{snapshotId}/complete` (plain JSON or gzip). */
export const snapshotCompletionSchema = z
  .object({
    snapshotId: snapshotIdSchema,
    header: snapshotHeaderSchema,
    chunkCount: z.number().int().nonnegative().max(MAX_CHUNKS),
    chunks: z.array(chunkReceiptSchema).max(MAX_CHUNKS),
  })
  .superRefine((body, ctx) => {
    if (body.chunks.length !== body.chunkCount) {
      ctx.addIssue({ code: "custom", path: ["chunks"], message: `chunks lists ${body.chunks.length} receipts but chunkCount is ${body.chunkCount}` });
      return;
    }
    body.chunks.forEach((chunk, position) => {
      if (chunk.index !== position) {
        ctx.addIssue({ code: "custom", path: ["chunks", position, "index"], message: `chunk receipts must be in order 0..chunkCount-1; found ${chunk.index} at position ${position}` });
      }
    });
  });
export type SnapshotCompletion = z.infer<typeof snapshotCompletionSchema>;

/** Why an agent gave a snapshot up (docs/agent-protocol.md, "Abandon"). */
export const ABANDON_REASONS = ["collection_failed", "push_refused", "push_gave_up"] as const;
export type AbandonReason = (typeof ABANDON_REASONS)[number];
export const MAX_ABANDON_MESSAGE_LENGTH = 500;

/**
 * Body of `POST {prefix}/snapshots/{snapshotId}/abandon` (plain JSON or gzip): the agent's one
 * best-effort report that this run's snapshot will never be completed, and why.
 */
export const snapshotAbandonSchema = z.object({
  snapshotId: snapshotIdSchema,
  reason: z.enum(ABANDON_REASONS),
  message: z.string().trim().min(1).max(MAX_ABANDON_MESSAGE_LENGTH),
});
export type SnapshotAbandon = z.infer<typeof snapshotAbandonSchema>;

/** Error body the server answers with on 4xx/5xx; the agent logs `code` and `message`. */
export const ingestErrorSchema = z.object({
  error: z.object({
    code: z.string().max(64),
    message: z.string().max(2000),
    /** On 426: the lowest agent version / schema version the server accepts. */
    minimumAgentVersion: z.string().max(64).optional(),
    minimumSchemaVersion: z.string().max(16).optional(),
  }),
});
export type IngestError = z.infer<typeof ingestErrorSchema>;

/** Request headers of every ingest call. */
export const INGEST_HEADERS = {
  authorization: "Authorization",
  idempotencyKey: "Idempotency-Key",
  agentVersion: "X-Ramparts-Agent-Version",
  schemaVersion: "X-Ramparts-Schema-Version",
  chartVersion: "X-Ramparts-Chart-Version",
  contentSha256: "X-Ramparts-Content-Sha256",
} as const;
