/**
 * Rebuilds a snapshot from its stored parts: the header sent on completion, and the objects of
 * every chunk in index order (docs/agent-protocol.md). Chunks were validated when they arrived;
 * a chunk not kept parsed from its upload is inflated again under the same cap and parsed.
 */
import { snapshotHeaderSchema, type KubeObject, type SnapshotV1 } from "@/lib/snapshot/schema";
import { gunzipWithLimit } from "./gunzip-with-limit";
import { MAX_INGEST_DECOMPRESSED_BYTES } from "./ingest-limits";
import { ParsedChunkCache } from "./parsed-chunk-cache";
import { jsonText } from "./parse-ingest-body";

export interface StoredChunk {
  index: number;
  sha256: string;
  /** The stored bytes; left unloaded for a chunk whose parsed objects are at hand. */
  body?: Uint8Array;
}

/** Parsed chunks kept from upload (same process). */
export interface ParsedChunkSource {
  take(key: string): KubeObject[] | undefined;
}

/**
 * Takes the chunks of a snapshot that were kept parsed at upload (each is used once): the job
 * then loads the stored bytes of the others only.
 */
export function takeParsedChunks(source: ParsedChunkSource, snapshotId: string, chunks: readonly { index: number; sha256: string }[]): Map<number, KubeObject[]> {
  const parsed = new Map<number, KubeObject[]>();
  for (const chunk of chunks) {
    const objects = source.take(ParsedChunkCache.key(snapshotId, chunk.index, chunk.sha256));
    if (objects) parsed.set(chunk.index, objects);
  }
  return parsed;
}

export function assembleSnapshot(header: unknown, chunks: readonly StoredChunk[], options: { parsed?: ReadonlyMap<number, KubeObject[]> } = {}): SnapshotV1 {
  const parsedHeader = snapshotHeaderSchema.parse(header);
  const objects: KubeObject[] = [];
  const ordered = [...chunks].sort((a, b) => a.index - b.index);
  ordered.forEach((chunk, position) => {
    if (chunk.index !== position) throw new Error(`chunk ${position} is missing from the stored snapshot`);
  });
  for (const chunk of ordered) {
    const parsed = options.parsed?.get(chunk.index);
    if (parsed) {
      for (const object of parsed) objects.push(object);
      continue;
    }
    if (!chunk.body) throw new Error(`chunk ${chunk.index} was neither kept parsed nor loaded`);
    const inflated = gunzipWithLimit(Buffer.from(chunk.body.buffer, chunk.body.byteOffset, chunk.body.byteLength), MAX_INGEST_DECOMPRESSED_BYTES);
    const body = JSON.parse(jsonText(inflated)) as { objects: KubeObject[] };
    for (const object of body.objects) objects.push(object);
  }
  return { ...parsedHeader, objects };
}
