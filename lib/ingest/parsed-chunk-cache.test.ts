import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "@/lib/snapshot/schema";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createTestOrganization } from "@/lib/testing/factories";
import { closeDb, useDbHandle } from "@/lib/db/client";
import { resetSettingsForTests } from "@/lib/config/settings";
import { registerCluster } from "@/lib/clusters/register-cluster";
import { runJobsUntilIdle } from "@/lib/jobs/job-runner";
import { ParsedChunkCache, parsedChunkCache } from "./parsed-chunk-cache";
import { packSnapshot } from "./pack-snapshot";
import { sampleSnapshot } from "./testing/sample-snapshot";
import { pushPacked } from "./testing/ingest-calls";
import { findingsOf } from "@/lib/testing/snapshot-findings";

const objects = (n: number): KubeObject[] => Array.from({ length: n }, (_, i) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: `p${i}` } }));

describe("the parsed-chunk cache", () => {
  it("hands an entry out once, keeps within its budget (oldest out first) and forgets after its time", () => {
    let now = 0;
    const cache = new ParsedChunkCache(() => 100, 1000, () => now);
    cache.put("a", objects(1), 60);
    cache.put("b", objects(2), 30);
    expect(cache.size).toEqual({ entries: 2, bytes: 90 });
    cache.put("c", objects(3), 40); // over budget: "a" goes
    expect(cache.take("a")).toBeUndefined();
    expect(cache.take("b")).toHaveLength(2);
    expect(cache.take("b")).toBeUndefined();
    cache.put("too-big", objects(1), 101);
    expect(cache.take("too-big")).toBeUndefined();
    now = 2000;
    expect(cache.take("c")).toBeUndefined();
    expect(cache.size).toEqual({ entries: 0, bytes: 0 });
  });
});

let database: TestDatabase;
beforeAll(async () => {
  process.env.APP_URL = "http://localhost:3000";
  resetSettingsForTests();
  database = await createTestDatabase();
  useDbHandle({ prisma: database.prisma, close: async () => {} });
});
afterAll(async () => {
  delete process.env.INGEST_PARSED_CACHE_MB;
  resetSettingsForTests();
  await closeDb();
  await database?.close();
});

describe("evaluation with and without the cache", () => {
  it("stores the same findings and score either way, and when only some chunks were kept", async () => {
    const results: { score: number | null; findings: string[]; cachedAfterUpload: number }[] = [];
    for (const [mb, evictOne] of [["256", false], ["0", false], ["256", true]] as const) {
      process.env.INGEST_PARSED_CACHE_MB = mb;
      resetSettingsForTests();
      const scope = await createTestOrganization(database.prisma);
      const { token } = await registerCluster({ scope, input: { name: "cache" } });
      const packed = packSnapshot(sampleSnapshot({ namespaces: ["a", "b"] }), { maxObjectsPerChunk: 2 });
      const before = parsedChunkCache.size.entries;
      expect((await pushPacked(packed, token.value)).status).toBe(202);
      // Evicted between upload and job (budget, age): the job reads that chunk's stored bytes, the others from memory.
      if (evictOne) expect(parsedChunkCache.take(ParsedChunkCache.key(packed.snapshotId, 1, packed.chunks[1]!.sha256))).toBeDefined();
      const cachedAfterUpload = parsedChunkCache.size.entries - before;
      await runJobsUntilIdle(database.prisma);
      const snapshot = await scope.db.snapshot.findUniqueOrThrow({ where: { id: packed.snapshotId } });
      const findings = (await scope.db.finding.findMany({ where: await findingsOf(scope, packed.snapshotId), orderBy: { id: "asc" } })).map((f) => `${f.fingerprint}:${f.status}`);
      results.push({ score: snapshot.score, findings, cachedAfterUpload });
    }
    expect(results[0]!.cachedAfterUpload).toBeGreaterThan(1);
    expect(results[1]!.cachedAfterUpload).toBe(0);
    expect(results[2]!.cachedAfterUpload).toBe(results[0]!.cachedAfterUpload - 1);
    expect(results[0]!.score).toBe(results[1]!.score);
    expect(results[0]!.findings).toEqual(results[1]!.findings);
    expect(results[2]!.score).toBe(results[0]!.score);
    expect(results[2]!.findings).toEqual(results[0]!.findings);
    // The job took what it used.
    expect(parsedChunkCache.size.entries).toBe(0);
  });
});
