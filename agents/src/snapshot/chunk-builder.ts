/**
 * Packs redacted objects into gzip chunks of at most MAX_CHUNK_COMPRESSED_BYTES, as they arrive.
 * Objects are held as JSON text only until their chunk is sealed. The uncompressed budget of the
 * next chunk follows the compression ratio seen so far; a chunk that still compresses too large
 * is split in half, so the limit holds for any data.
 */
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { MAX_CHUNK_COMPRESSED_BYTES, MAX_CHUNK_UNCOMPRESSED_BYTES, MAX_CHUNKS, type ChunkReceipt } from "@/lib/snapshot/protocol";
import { SNAPSHOT_SCHEMA_VERSION, type KubeObject } from "@/lib/snapshot/schema";

const gzipAsync = promisify(gzip);

export interface SealedChunk extends ChunkReceipt {
  body: Buffer;
}

export interface ChunkBuilderOptions {
  snapshotId: string;
  onChunk: (chunk: SealedChunk) => Promise<void>;
  maxCompressedBytes?: number;
  maxUncompressedBytes?: number;
}

/** A single object larger than this (as JSON, after redaction) is left out and counted. */
export const MAX_OBJECT_BYTES = 1024 * 1024;

export class ChunkBuilder {
  private pending: string[] = [];
  private pendingBytes = 0;
  private nextIndex = 0;
  private readonly receipts: ChunkReceipt[] = [];
  private readonly maxCompressed: number;
  private readonly maxUncompressed: number;
  /** Observed uncompressed/compressed ratio; conservative until the first chunk is sealed. */
  private ratio = 2;

  constructor(private readonly options: ChunkBuilderOptions) {
    this.maxCompressed = options.maxCompressedBytes ?? MAX_CHUNK_COMPRESSED_BYTES;
    this.maxUncompressed = options.maxUncompressedBytes ?? MAX_CHUNK_UNCOMPRESSED_BYTES;
  }

  /** Adds one object; returns false when it was too large to carry. */
  async add(object: KubeObject): Promise<boolean> {
    const json = JSON.stringify(object);
    const bytes = Buffer.byteLength(json);
    if (bytes > MAX_OBJECT_BYTES) return false;
    if (this.pending.length > 0 && this.pendingBytes + bytes > this.budget()) await this.seal();
    this.pending.push(json);
    this.pendingBytes += bytes + 1;
    return true;
  }

  /** Seals the last chunk; returns the receipts of every chunk, in order. */
  async finish(): Promise<ChunkReceipt[]> {
    if (this.pending.length > 0) await this.seal();
    return [...this.receipts];
  }

  private budget(): number {
    // Aim at 85% of the compressed limit to leave room for the variance between chunks.
    return Math.max(64 * 1024, Math.min(this.maxUncompressed, Math.floor(this.maxCompressed * 0.85 * this.ratio)));
  }

  private async seal(): Promise<void> {
    const objects = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    await this.emit(objects);
  }

  private async emit(objects: string[]): Promise<void> {
    const index = this.nextIndex;
    const text = `{"schemaVersion":${JSON.stringify(SNAPSHOT_SCHEMA_VERSION)},"snapshotId":${JSON.stringify(this.options.snapshotId)},"index":${index},"objects":[${objects.join(",")}]}`;
    const body = await gzipAsync(text);
    if (body.length > this.maxCompressed && objects.length > 1) {
      const half = Math.ceil(objects.length / 2);
      this.ratio = Math.max(1, this.ratio / 2);
      await this.emit(objects.slice(0, half));
      await this.emit(objects.slice(half));
      return;
    }
    if (body.length > this.maxCompressed) throw new Error(`one object compresses to ${body.length} bytes, above the chunk limit`);
    if (index >= MAX_CHUNKS) throw new Error(`snapshot needs more than ${MAX_CHUNKS} chunks`);
    this.nextIndex++;
    this.ratio = Math.max(1, Buffer.byteLength(text) / body.length);
    const receipt: ChunkReceipt = { index, sha256: createHash("sha256").update(body).digest("hex"), objectCount: objects.length, compressedBytes: body.length };
    this.receipts.push(receipt);
    await this.options.onChunk({ ...receipt, body });
  }
}
