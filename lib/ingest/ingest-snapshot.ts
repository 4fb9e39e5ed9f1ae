/**
 * Pushes a whole snapshot through the ingest domain functions with a cluster token, in process:
 * the same checks and storage as the HTTP path, without the network. The demo seeder uses it
 * (then runs the queue), so seeded clusters hold real engine results.
 */
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import type { SnapshotV1 } from "@/lib/snapshot/schema";
import { authenticateAgent } from "./authenticate-agent";
import { storeSnapshotChunk } from "./store-snapshot-chunk";
import { completeSnapshot } from "./complete-snapshot";
import { packSnapshot } from "./pack-snapshot";

export async function ingestSnapshot(options: { prisma: PrismaClient; token: string; snapshot: SnapshotV1; now?: Date; snapshotId?: string }): Promise<{ snapshotId: string; chunks: number }> {
  const { prisma, snapshot } = options;
  const agent = await authenticateAgent(prisma, `Bearer ${options.token}`, options.now);
  const packed = packSnapshot(snapshot, { snapshotId: options.snapshotId });
  for (const chunk of packed.chunks) {
    await storeSnapshotChunk({
      prisma,
      agent,
      now: options.now,
      upload: { snapshotId: packed.snapshotId, index: chunk.index, raw: chunk.body, sha256: chunk.sha256, agentVersion: snapshot.agent.version, chartVersion: snapshot.agent.chartVersion ?? null },
    });
  }
  await completeSnapshot({
    prisma,
    agent,
    now: options.now,
    upload: { snapshotId: packed.snapshotId, raw: packed.completionBody, contentEncoding: "gzip", sha256: packed.completionSha256, chartVersion: snapshot.agent.chartVersion ?? null },
  });
  return { snapshotId: packed.snapshotId, chunks: packed.chunks.length };
}
