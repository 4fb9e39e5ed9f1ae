/**
 * The limits ingest enforces, from the protocol's constants (lib/snapshot/protocol.ts) so the
 * agent and the server cannot drift apart. docs/ingest.md lists them.
 */
import { MAX_CHUNK_COMPRESSED_BYTES, SUGGESTED_MAX_CHUNK_DECOMPRESSED_BYTES } from "@/lib/snapshot/protocol";

/** Largest request body accepted as sent (compressed), for chunks and completions alike. */
export const MAX_INGEST_BODY_BYTES = MAX_CHUNK_COMPRESSED_BYTES;
/** Largest body after gunzip; inflating stops as soon as it is passed (gzip bombs). */
export const MAX_INGEST_DECOMPRESSED_BYTES = SUGGESTED_MAX_CHUNK_DECOMPRESSED_BYTES;
/** Incomplete snapshots expire this long after their last chunk. */
export const INCOMPLETE_SNAPSHOT_TTL_MS = 60 * 60 * 1000;
/** Evaluation attempts before a snapshot is marked failed. */
export const EVALUATION_MAX_ATTEMPTS = 3;

export function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB (${bytes} bytes)`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB (${bytes} bytes)`;
  return `${bytes} bytes`;
}
