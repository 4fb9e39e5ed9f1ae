/**
 * Rebuilds a snapshot from its stored parts: the header sent on completion, and the objects of
 * every chunk in index order (docs/agent-protocol.md). Chunks were validated when they arrived;
 * they are inflated again under the same cap, one at a time.
 */
import { snapshotHeaderSchema, type KubeObject, type SnapshotV1 } from "@/lib/snapshot/schema";
import { gunzipWithLimit } from "./gunzip-with-limit";
import { MAX_INGEST_DECOMPRESSED_BYTES } from "./ingest-limits";
import { ParsedChunkCache } from "./parsed-chunk-cache";

export interface StoredChunk {
  index: number;
  sha256: string;
  body: Uint8Array;
}

/** Parsed chunks kept from upload (same process); a miss parses the stored bytes. */
export interface ParsedChunkSource {
  take(key: string): KubeObject[] | undefined;
}

export async function assembleSnapshot(header: unknown, chunks: readonly StoredChunk[], options: { snapshotId?: string; parsed?: ParsedChunkSource } = {}): Promise<SnapshotV1> {
  const parsedHeader = snapshotHeaderSchema.parse(header);
  const objects: KubeObject[] = [];
  const ordered = [...chunks].sort((a, b) => a.index - b.index);
  ordered.forEach((chunk, position) => {
    if (chunk.index !== position) throw new Error(`chunk ${position} is missing from the stored snapshot`);
  });
  for (const chunk of ordered) {
    const cached = options.parsed && options.snapshotId ? options.parsed.take(ParsedChunkCache.key(options.snapshotId, chunk.index, chunk.sha256)) : undefined;
    if (cached) {
      for (const object of cached) objects.push(object);
      continue;
    }
    const inflated = await gunzipWithLimit(Buffer.from(chunk.body.buffer, chunk.body.byteOffset, chunk.body.byteLength), MAX_INGEST_DECOMPRESSED_BYTES);
    const body = JSON.parse(inflated.toString("utf8")) as { objects: KubeObject[] };
    for (const object of body.objects) objects.push(object);
  }
  return { ...parsedHeader, objects };
}
