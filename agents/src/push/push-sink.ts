/**
 * The sink that uploads: objects are packed into chunks and each chunk is POSTed as soon as it
 * is sealed (so memory holds at most one chunk), then the completion call carries the header.
 */
import type { KubeObject, SnapshotHeader } from "@/lib/snapshot/schema";
import type { Logger } from "../log/logger";
import { ChunkBuilder } from "../snapshot/chunk-builder";
import type { SnapshotSink } from "../snapshot/snapshot-sink";
import type { IngestClient } from "./ingest-client";

export class PushSink implements SnapshotSink {
  private readonly builder: ChunkBuilder;
  private uploadedBytes = 0;

  constructor(
    private readonly client: IngestClient,
    readonly snapshotId: string,
    private readonly log: Logger,
  ) {
    this.builder = new ChunkBuilder({
      snapshotId,
      onChunk: async (chunk) => {
        await this.client.uploadChunk(snapshotId, chunk);
        this.uploadedBytes += chunk.compressedBytes;
        this.log.info("chunk uploaded", { snapshotId, index: chunk.index, objects: chunk.objectCount, bytes: chunk.compressedBytes });
      },
    });
  }

  add(object: KubeObject): Promise<boolean> {
    return this.builder.add(object);
  }

  async finish(header: SnapshotHeader): Promise<void> {
    const chunks = await this.builder.finish();
    await this.client.complete({ snapshotId: this.snapshotId, header, chunkCount: chunks.length, chunks });
    this.log.info("snapshot pushed", { snapshotId: this.snapshotId, chunks: chunks.length, bytes: this.uploadedBytes });
  }

  async abort(): Promise<void> {
    // Nothing to undo: the server expires snapshots that are never completed.
  }
}
