/**
 * Packs a snapshot into what the agent sends: gzip chunks (under the protocol's limits) and the
 * completion body. The demo seeds and the tests push through the real ingest path with it; the
 * agent has its own streaming packer (agents/src/snapshot/chunk-builder.ts) for the same format.
 */
import crypto from "node:crypto";
import zlib from "node:zlib";
import { MAX_CHUNK_COMPRESSED_BYTES, type SnapshotCompletion } from "@/lib/snapshot/protocol";
import type { KubeObject, SnapshotV1 } from "@/lib/snapshot/schema";

export interface PackedChunk {
  index: number;
  body: Buffer;
  sha256: string;
  objectCount: number;
}

export interface PackedSnapshot {
  snapshotId: string;
  chunks: PackedChunk[];
  completion: SnapshotCompletion;
  /** The completion, gzip-compressed, as the agent sends it. */
  completionBody: Buffer;
  completionSha256: string;
}

/** UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits. */
export function newSnapshotId(now: number = Date.now()): string {
  const bytes = crypto.randomBytes(16);
  let ms = BigInt(now);
  for (let i = 5; i >= 0; i--) {
    bytes[i] = Number(ms & 0xffn);
    ms >>= 8n;
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const sha256 = (bytes: Buffer) => crypto.createHash("sha256").update(bytes).digest("hex");

function gzipChunk(snapshotId: string, index: number, schemaVersion: string, objects: KubeObject[]): Buffer {
  return zlib.gzipSync(JSON.stringify({ schemaVersion, snapshotId, index, objects }));
}

export function packSnapshot(snapshot: SnapshotV1, options: { snapshotId?: string; maxUncompressedBytes?: number; maxObjectsPerChunk?: number } = {}): PackedSnapshot {
  const snapshotId = options.snapshotId ?? newSnapshotId();
  const budget = options.maxUncompressedBytes ?? 8 * 1024 * 1024;
  const maxObjects = options.maxObjectsPerChunk ?? Number.POSITIVE_INFINITY;
  const groups: KubeObject[][] = [];
  let current: KubeObject[] = [];
  let size = 0;
  for (const object of snapshot.objects) {
    const bytes = JSON.stringify(object).length + 1;
    if (current.length > 0 && (size + bytes > budget || current.length >= maxObjects)) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(object);
    size += bytes;
  }
  if (current.length > 0) groups.push(current);

  const chunks: PackedChunk[] = [];
  const seal = (objects: KubeObject[]) => {
    const body = gzipChunk(snapshotId, chunks.length, snapshot.schemaVersion, objects);
    if (body.length > MAX_CHUNK_COMPRESSED_BYTES && objects.length > 1) {
      const half = Math.ceil(objects.length / 2);
      seal(objects.slice(0, half));
      seal(objects.slice(half));
      return;
    }
    chunks.push({ index: chunks.length, body, sha256: sha256(body), objectCount: objects.length });
  };
  for (const group of groups) seal(group);

  const { objects: _objects, ...header } = snapshot;
  const completion: SnapshotCompletion = {
    snapshotId,
    header,
    chunkCount: chunks.length,
    chunks: chunks.map((c) => ({ index: c.index, sha256: c.sha256, objectCount: c.objectCount, compressedBytes: c.body.length })),
  };
  const completionBody = zlib.gzipSync(JSON.stringify(completion));
  return { snapshotId, chunks, completion, completionBody, completionSha256: sha256(completionBody) };
}
