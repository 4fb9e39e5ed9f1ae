import { db } from "@/lib/db/client";
import { ingestJson, ingestRoute } from "@/lib/ingest/ingest-route";
import { abandonSnapshot } from "@/lib/ingest/abandon-snapshot";

/** The agent's abandon report (docs/agent-protocol.md): 200, the snapshot is marked failed with the agent's reason. */
export const POST = ingestRoute("abandon", async (req) => {
  const receipt = await abandonSnapshot({
    prisma: await db(),
    agent: req.agent,
    upload: { snapshotId: req.snapshotId, raw: req.raw, contentEncoding: req.contentEncoding, agentVersion: req.agentVersion, chartVersion: req.chartVersion },
  });
  return ingestJson(receipt, 200);
});
