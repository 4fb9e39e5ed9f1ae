import { db } from "@/lib/db/client";
import { ingestJson, ingestRoute } from "@/lib/ingest/ingest-route";
import { storeSnapshotChunk } from "@/lib/ingest/store-snapshot-chunk";

/** One gzip chunk of a snapshot (docs/agent-protocol.md): 201 stored, 200 replay. */
export const POST = ingestRoute("chunk", async (req) => {
  const receipt = await storeSnapshotChunk({
    prisma: await db(),
    agent: req.agent,
    upload: { snapshotId: req.snapshotId, index: req.index!, raw: req.raw, sha256: req.sha256, agentVersion: req.agentVersion, chartVersion: req.chartVersion },
  });
  return ingestJson(receipt, receipt.stored === "new" ? 201 : 200);
});
