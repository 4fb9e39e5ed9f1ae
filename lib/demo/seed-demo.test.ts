/**
 * The demo seeder on the example clusters, made into snapshots by the agent's own
 * `collect --from-file` code, pushed through ingest and evaluated by the queue.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { collectFromFile } from "@/agents/src/collect/collect-from-file";
import { createLogger } from "@/agents/src/log/logger";
import type { KubeObject, SnapshotHeader, SnapshotV1 } from "@/lib/snapshot/schema";
import { resolveTenantScope } from "@/lib/tenancy/resolve-membership";
import { listClusters } from "@/lib/clusters/list-clusters";
import { getSnapshotChanges } from "@/lib/findings/get-snapshot-changes";
import { DEMO_ORG_SLUG, seedDemo } from "./seed-demo";

async function exampleSnapshot(name: string): Promise<SnapshotV1> {
  const objects: KubeObject[] = [];
  let header: SnapshotHeader | undefined;
  await collectFromFile({
    target: path.resolve("examples", name),
    agentVersion: "0.1.0",
    log: createLogger({ level: "error" }),
    sink: { add: async (o) => (objects.push(o), true), finish: async (h) => void (header = h), abort: async () => {} },
  });
  return { ...header!, objects };
}

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

describe("the demo seed", () => {
  it("gives both demo clusters a history of real evaluations, staging improving, once", async () => {
    const examples = { "hardened-cluster": await exampleSnapshot("hardened-cluster"), "insecure-cluster": await exampleSnapshot("insecure-cluster") };
    const seeded = await seedDemo(database.prisma, { examples });
    expect(seeded.seededSnapshots).toEqual({ "prod-eu-1": 4, "staging-us-1": 4 });
    const scope = await resolveTenantScope(database.prisma, seeded.userId, DEMO_ORG_SLUG);
    const clusters = await listClusters({ scope });
    const prod = clusters.find((c) => c.name === "prod-eu-1")!;
    const staging = clusters.find((c) => c.name === "staging-us-1")!;
    expect(prod.latest).not.toBeNull();
    expect(staging.trend).toHaveLength(4);
    // Staging is being fixed: it ends well above where it started.
    const scores = staging.trend.map((p) => p.score);
    expect(scores.at(-1)!).toBeGreaterThan(scores[0]! + 20);
    expect(prod.latest!.score).toBeGreaterThan(staging.trend[0]!.score);
    const changes = await getSnapshotChanges({ scope, clusterId: staging.id });
    expect(changes.resolvedCount).toBeGreaterThan(0);

    // Seeding again adds nothing.
    const again = await seedDemo(database.prisma, { examples });
    expect(again.newClusters).toEqual([]);
    expect(again.seededSnapshots).toEqual({});
  });
});
