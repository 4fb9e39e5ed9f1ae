/**
 * The long-running runner as the server starts it: on PostgreSQL its own pool (LISTEN), on the
 * embedded database the app's client (polling). A completed snapshot is evaluated without
 * anyone calling the job.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createTestOrganization } from "@/lib/testing/factories";
import { registerCluster } from "@/lib/clusters/register-cluster";
import { ingestSnapshot } from "@/lib/ingest/ingest-snapshot";
import { sampleSnapshot } from "@/lib/ingest/testing/sample-snapshot";
import { startJobRunner } from "./job-runner";
import { recurringJobs } from "./recurring-jobs";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the job runner", () => {
  it("evaluates a completed snapshot by itself, then stops cleanly", async () => {
    const runner = await startJobRunner({ prisma: database.prisma, databaseUrl: database.url, pollIntervalMs: 200, schedule: false });
    expect(runner.kind).toBe(database.kind === "postgres" ? "postgres" : "embedded");
    try {
      const scope = await createTestOrganization(database.prisma);
      const { cluster, token } = await registerCluster({ scope, input: { name: "auto" } });
      const { snapshotId } = await ingestSnapshot({ prisma: database.prisma, token: token.value, snapshot: sampleSnapshot() });
      const latest = await waitFor(async () => (await scope.db.cluster.findUniqueOrThrow({ where: { id: cluster.id } })).latestSnapshotId);
      expect(latest).toBe(snapshotId);
      expect((await scope.db.snapshot.findUniqueOrThrow({ where: { id: snapshotId } })).status).toBe("READY");
    } finally {
      await runner.stop();
    }
  });

  it("schedules retention daily and incomplete-upload expiry hourly", () => {
    const items = recurringJobs();
    expect(items.map((i) => i.task).sort()).toEqual(["expire-incomplete-snapshots", "retention"]);
    expect(new Set(items.map((i) => i.identifier)).size).toBe(items.length);
  });
});
