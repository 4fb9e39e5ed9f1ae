import { db } from "@/lib/db/client";
import { ingestJson, ingestRoute } from "@/lib/ingest/ingest-route";
import { completeSnapshot } from "@/lib/ingest/complete-snapshot";

/** The completion call (docs/agent-protocol.md): 202 queued for evaluation, 200 replay. */
export const POST = ingestRoute("complete", async (req) => {
  const receipt = await completeSnapshot({
    prisma: await db(),
    agent: req.agent,
    upload: { snapshotId: req.snapshotId, raw: req.raw, contentEncoding: req.contentEncoding, sha256: req.sha256, chartVersion: req.chartVersion },
  });
  return ingestJson(receipt, receipt.duplicate ? 200 : 202);
});
