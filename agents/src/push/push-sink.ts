/**
 * The sink that uploads: objects are packed into chunks and each chunk is POSTed as soon as it
 * is sealed, with up to CHUNKS_IN_FLIGHT uploads at once (memory holds at most that many sealed
 * chunks plus the one being packed), then the completion call carries the header once every
 * chunk is stored. Listing the cluster goes on while chunks travel; the server parses one chunk
 * while it stores another.
 */
import { CHUNKS_IN_FLIGHT } from "@/lib/snapshot/protocol";
import type { KubeObject, SnapshotHeader } from "@/lib/snapshot/schema";
import type { Logger } from "../log/logger";
import { ChunkBuilder, type SealedChunk } from "../snapshot/chunk-builder";
import type { SnapshotSink } from "../snapshot/snapshot-sink";
import type { IngestClient } from "./ingest-client";

export class PushSink implements SnapshotSink {
  private readonly builder: ChunkBuilder;
  private uploadedBytes = 0;
  private readonly inFlight = new Set<Promise<void>>();
  /** The first upload that failed (after its retries): every later step rethrows it. */
  private failure: { error: unknown } | null = null;
  private readonly maxInFlight: number;

  constructor(
    private readonly client: IngestClient,
    readonly snapshotId: string,
    private readonly log: Logger,
    options: { maxInFlight?: number; maxCompressedBytes?: number } = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? CHUNKS_IN_FLIGHT;
    this.builder = new ChunkBuilder({ snapshotId, maxCompressedBytes: options.maxCompressedBytes, onChunk: (chunk) => this.upload(chunk) });
  }

  add(object: KubeObject): Promise<boolean> {
    return this.builder.add(object);
  }

  async finish(header: SnapshotHeader): Promise<void> {
    const chunks = await this.builder.finish();
    await this.drain();
    await this.client.complete({ snapshotId: this.snapshotId, header, chunkCount: chunks.length, chunks });
    this.log.info("snapshot pushed", { snapshotId: this.snapshotId, chunks: chunks.length, bytes: this.uploadedBytes });
  }

  async abort(): Promise<void> {
    // Let uploads already sent end, so an abandon report follows them. Nothing to undo: the
    // server expires snapshots that are never completed.
    await Promise.allSettled(this.inFlight);
  }

  /** Starts one chunk's upload; waits only while CHUNKS_IN_FLIGHT uploads are already running. */
  private async upload(chunk: SealedChunk): Promise<void> {
    this.rethrowFailure();
    while (this.inFlight.size >= this.maxInFlight) {
      await Promise.race(this.inFlight);
      this.rethrowFailure();
    }
    const sending = this.client.uploadChunk(this.snapshotId, chunk).then(
      () => {
        this.uploadedBytes += chunk.compressedBytes;
        this.log.info("chunk uploaded", { snapshotId: this.snapshotId, index: chunk.index, objects: chunk.objectCount, bytes: chunk.compressedBytes });
      },
      (error: unknown) => {
        this.failure ??= { error };
      },
    );
    const tracked = sending.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private async drain(): Promise<void> {
    await Promise.all(this.inFlight);
    this.rethrowFailure();
  }

  private rethrowFailure(): void {
    if (this.failure) throw this.failure.error;
  }
}
