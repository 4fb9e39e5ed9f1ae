/**
 * The ingest API as the agent uses it: real Requests into the route handlers, a real database
 * (PostgreSQL with TEST_DATABASE_URL, else the embedded one), the real queue and engine.
 */
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createTestOrganization } from "@/lib/testing/factories";
import { closeDb, useDbHandle } from "@/lib/db/client";
import { resetSettingsForTests } from "@/lib/config/settings";
import { registerCluster } from "@/lib/clusters/register-cluster";
import { listClusters } from "@/lib/clusters/list-clusters";
import { runJobsUntilIdle } from "@/lib/jobs/job-runner";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { MAX_CHUNK_COMPRESSED_BYTES } from "@/lib/snapshot/protocol";
import { newSnapshotId, packSnapshot } from "./pack-snapshot";
import { sampleSnapshot } from "./testing/sample-snapshot";
import { postAbandon, postChunk, postCompletion, pushPacked } from "./testing/ingest-calls";
import { findingsOf } from "@/lib/testing/snapshot-findings";

let database: TestDatabase;

beforeAll(async () => {
  process.env.APP_URL = "http://localhost:3000";
  process.env.INGEST_RATE_LIMIT_PER_MINUTE = "10000";
  resetSettingsForTests();
  database = await createTestDatabase();
  useDbHandle({ prisma: database.prisma, close: async () => {} });
});
afterAll(async () => {
  await closeDb();
  await database?.close();
});

async function newCluster(scope?: TenantScope, name = `c-${Math.random().toString(36).slice(2, 8)}`) {
  const owner = scope ?? (await createTestOrganization(database.prisma));
  const { cluster, token } = await registerCluster({ scope: owner, input: { name } });
  return { scope: owner, cluster, token: token.value, tokenId: token.id };
}

const gzipJson = (value: unknown) => zlib.gzipSync(JSON.stringify(value));

describe("authentication", () => {
  it("answers 401 without a token, with a malformed one, an unknown one and a revoked one", async () => {
    const { scope, token, tokenId } = await newCluster();
    const packed = packSnapshot(sampleSnapshot());
    const body = packed.chunks[0]!.body;
    for (const candidate of [null, "not-a-token", `rpa_${"A".repeat(43)}`]) {
      const answer = await postChunk(packed.snapshotId, 0, body, { token: candidate });
      expect(answer.status).toBe(401);
      expect(answer.json.error?.code).toBe("unauthenticated");
    }
    await scope.db.agentToken.update({ where: { id: tokenId }, data: { revokedAt: new Date() } });
    const revoked = await postChunk(packed.snapshotId, 0, body, { token });
    expect(revoked.status).toBe(401);
    expect(revoked.json.error?.message).toMatch(/revoked/);
    expect(await scope.db.snapshot.count({ where: { orgId: scope.orgId } })).toBe(0);
  });

  it("records the token's last use at most once a minute", async () => {
    const { scope, token, tokenId } = await newCluster();
    const packed = packSnapshot(sampleSnapshot(), { maxObjectsPerChunk: 1 });
    expect(packed.chunks.length).toBeGreaterThan(2);
    await postChunk(packed.snapshotId, 0, packed.chunks[0]!.body, { token });
    const first = (await scope.db.agentToken.findUniqueOrThrow({ where: { id: tokenId } })).lastUsedAt;
    expect(first).toBeInstanceOf(Date);
    await postChunk(packed.snapshotId, 1, packed.chunks[1]!.body, { token });
    const second = (await scope.db.agentToken.findUniqueOrThrow({ where: { id: tokenId } })).lastUsedAt;
    expect(second?.getTime()).toBe(first!.getTime());
  });
});

describe("chunks", () => {
  it("stores a chunk once: a replay answers 200 duplicate, other bytes for the index 409", async () => {
    const { scope, token } = await newCluster();
    const packed = packSnapshot(sampleSnapshot());
    const chunk = packed.chunks[0]!;
    const first = await postChunk(packed.snapshotId, 0, chunk.body, { token });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ stored: "new", index: 0, sha256: chunk.sha256 });
    const replay = await postChunk(packed.snapshotId, 0, chunk.body, { token });
    expect(replay.status).toBe(200);
    expect(replay.json).toMatchObject({ stored: "duplicate" });
    const other = packSnapshot(sampleSnapshot({ namespaces: ["other"] }), { snapshotId: packed.snapshotId });
    const conflict = await postChunk(packed.snapshotId, 0, other.chunks[0]!.body, { token });
    expect(conflict.status).toBe(409);
    const stored = await scope.db.snapshotChunk.findMany({ where: { snapshotId: packed.snapshotId } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.sha256).toBe(chunk.sha256);
    // The exact bytes sent, with their size and object count.
    expect(Buffer.from(stored[0]!.body).equals(chunk.body)).toBe(true);
    expect(stored[0]).toMatchObject({ sizeBytes: chunk.body.length, objectCount: chunk.objectCount, orgId: scope.orgId });
  });

  it("keeps chunk bodies out of PostgreSQL's own compression (they are gzip already)", async () => {
    const [column] = await database.prisma.$queryRaw<{ storage: string }[]>`SELECT attstorage::text AS storage FROM pg_attribute WHERE attrelid = '"SnapshotChunk"'::regclass AND attname = 'body'`;
    expect(column?.storage).toBe("e");
  });

  it("refuses a body above the compressed limit with 413 naming it, declared or streamed", async () => {
    const { token } = await newCluster();
    const id = newSnapshotId();
    const big = Buffer.alloc(MAX_CHUNK_COMPRESSED_BYTES + 1, 1);
    const declared = await postChunk(id, 0, big, { token });
    expect(declared.status).toBe(413);
    expect(declared.json.error?.message).toContain("2 MiB (2097152 bytes)");
    const streamed = await postChunk(id, 0, big, { token, headers: { "content-length": null } });
    expect(streamed.status).toBe(413);
  });

  it("stops a gzip bomb while inflating: 413 naming the decompressed limit, quickly", async () => {
    const { scope, token } = await newCluster();
    const id = newSnapshotId();
    // ~2 GiB of zeros in about 2 MiB: inflating it whole would take seconds and gigabytes.
    const bomb = zlib.gzipSync(Buffer.alloc(1024 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(MAX_CHUNK_COMPRESSED_BYTES);
    const started = performance.now();
    const answer = await postChunk(id, 0, bomb, { token });
    const elapsed = performance.now() - started;
    expect(answer.status).toBe(413);
    expect(answer.json.error?.message).toContain("32 MiB (33554432 bytes)");
    expect(elapsed).toBeLessThan(2000);
    expect(await scope.db.snapshot.count({ where: { id } })).toBe(0);
  });

  it("answers 400 for a body that is not gzip, not JSON, or fails the schema (naming the field)", async () => {
    const { token } = await newCluster();
    const id = newSnapshotId();
    const notGzip = await postChunk(id, 0, Buffer.from("plain text"), { token });
    expect(notGzip.status).toBe(400);
    expect(notGzip.json.error?.reason).toBe("bad_encoding");
    const notJson = await postChunk(id, 0, zlib.gzipSync("{not json"), { token });
    expect(notJson.status).toBe(400);
    expect(notJson.json.error?.reason).toBe("bad_json");
    const invalid = await postChunk(id, 0, gzipJson({ schemaVersion: "1.0", snapshotId: id, index: 0, objects: [{ apiVersion: "v1", kind: "Pod", metadata: {} }] }), { token });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error).toMatchObject({ code: "validation_failed", field: "objects[0].metadata.name" });
    const wrongIndex = await postChunk(id, 0, gzipJson({ schemaVersion: "1.0", snapshotId: id, index: 3, objects: [{ apiVersion: "v1", kind: "Pod", metadata: { name: "x" } }] }), { token });
    expect(wrongIndex.json.error).toMatchObject({ field: "index" });
    const badDigest = await postChunk(id, 0, gzipJson({}), { token, sha256: "0".repeat(64) });
    expect(badDigest.json.error?.reason).toBe("bad_digest");
    const badKey = await postChunk(id, 0, gzipJson({}), { token, headers: { "idempotency-key": "nope" } });
    expect(badKey.json.error?.field).toBe("Idempotency-Key");
    const badPath = await postChunk("not-a-uuid", 0, gzipJson({}), { token });
    expect(badPath.json.error?.field).toBe("snapshotId");
  });

  it("answers 426 with the minimum version for an unsupported schema version (header or body)", async () => {
    const { token } = await newCluster();
    const id = newSnapshotId();
    const header = await postChunk(id, 0, gzipJson({}), { token, headers: { "x-ramparts-schema-version": "2.0" } });
    expect(header.status).toBe(426);
    expect(header.json.error).toMatchObject({ minimumSchemaVersion: "1.0" });
    const body = await postChunk(id, 0, gzipJson({ schemaVersion: "0.9", snapshotId: id, index: 0, objects: [] }), { token });
    expect(body.status).toBe(426);
    expect(body.json.error).toMatchObject({ code: "unsupported_schema_version", minimumSchemaVersion: "1.0" });
    const oldAgent = await postChunk(id, 0, gzipJson({}), { token, headers: { "x-ramparts-agent-version": "0.0.9" } });
    expect(oldAgent.status).toBe(426);
    expect(oldAgent.json.error).toMatchObject({ minimumAgentVersion: "0.1.0" });
  });

  it("limits each cluster's requests with 429 and Retry-After", async () => {
    process.env.INGEST_RATE_LIMIT_PER_MINUTE = "3";
    resetSettingsForTests();
    try {
      const { token } = await newCluster();
      const other = await newCluster();
      const packed = packSnapshot(sampleSnapshot());
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 4; i++) {
        last = await postChunk(packed.snapshotId, 0, packed.chunks[0]!.body, { token });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([201, 200, 200, 429]);
      expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
      // Another cluster has its own budget.
      const fresh = packSnapshot(sampleSnapshot());
      expect((await postChunk(fresh.snapshotId, 0, fresh.chunks[0]!.body, { token: other.token })).status).toBe(201);
    } finally {
      process.env.INGEST_RATE_LIMIT_PER_MINUTE = "10000";
      resetSettingsForTests();
    }
  });
});

describe("completion and evaluation", () => {
  it("completes, evaluates in the queue, and shows the snapshot only when evaluated", async () => {
    const { scope, cluster, token } = await newCluster();
    const packed = packSnapshot(sampleSnapshot({ namespaces: ["shop", "pay"] }), { maxObjectsPerChunk: 2 });
    expect(packed.chunks.length).toBeGreaterThan(1);
    const answer = await pushPacked(packed, token);
    expect(answer.status).toBe(202);
    expect(answer.json).toMatchObject({ snapshotId: packed.snapshotId, status: "accepted" });

    // Accepted, not yet visible: queued, no findings, the cluster has no latest snapshot.
    const queued = await scope.db.snapshot.findUniqueOrThrow({ where: { id: packed.snapshotId } });
    expect(queued.status).toBe("QUEUED");
    expect(await scope.db.finding.count({ where: await findingsOf(scope, packed.snapshotId) })).toBe(0);
    expect((await scope.db.cluster.findUniqueOrThrow({ where: { id: cluster.id } })).latestSnapshotId).toBeNull();

    await runJobsUntilIdle(database.prisma);
    const ready = await scope.db.snapshot.findUniqueOrThrow({ where: { id: packed.snapshotId } });
    expect(ready.status).toBe("READY");
    expect(ready.score).toBeGreaterThanOrEqual(0);
    expect(ready.objectCount).toBe(packed.completion.chunks.reduce((s, c) => s + c.objectCount, 0));
    const privileged = await scope.db.finding.findMany({ where: { ...(await findingsOf(scope, packed.snapshotId)), checkId: "privileged-container" } });
    expect(privileged.map((f) => `${f.namespace}/${f.name}`).sort()).toEqual(["pay/legacy-0", "shop/legacy-0"]);
    expect(privileged[0]).toMatchObject({ severity: "CRITICAL", status: "FAIL", path: "spec.template.spec.containers[0].securityContext.privileged", firstSeq: 1, endSeq: null });
    expect(await scope.db.snapshotLayerScore.count({ where: { snapshotId: packed.snapshotId } })).toBe(6);
    const after = await scope.db.cluster.findUniqueOrThrow({ where: { id: cluster.id } });
    expect(after).toMatchObject({ latestSnapshotId: packed.snapshotId, agentVersion: "0.1.0", schemaVersion: "1.0", kubernetesVersion: "v1.31.4", provider: "eks" });
    expect(after.lastSeenAt).toBeInstanceOf(Date);
    const daily = await scope.db.dailyScore.findMany({ where: { clusterId: cluster.id } });
    expect(daily).toHaveLength(1);
    expect(daily[0]!.score).toBe(ready.score);
  });

  it("takes a snapshot's chunks at once and in any order (the agent keeps two in flight), and assembles them in index order", async () => {
    const { scope, token } = await newCluster();
    const snapshot = sampleSnapshot({ namespaces: ["shop", "pay", "ops"] });
    const packed = packSnapshot(snapshot, { maxObjectsPerChunk: 2 });
    expect(packed.chunks.length).toBeGreaterThan(3);
    // Every chunk at once, the last first: the first to arrive creates the snapshot, whichever it is.
    const answers = await Promise.all([...packed.chunks].reverse().map((chunk) => postChunk(packed.snapshotId, chunk.index, chunk.body, { token })));
    expect(answers.map((a) => a.status)).toEqual(packed.chunks.map(() => 201));
    expect(await scope.db.snapshotChunk.count({ where: { snapshotId: packed.snapshotId } })).toBe(packed.chunks.length);
    const done = await postCompletion(packed.snapshotId, packed.completionBody, { token, sha256: packed.completionSha256 });
    expect(done.status).toBe(202);
    await runJobsUntilIdle(database.prisma);
    const ready = await scope.db.snapshot.findUniqueOrThrow({ where: { id: packed.snapshotId } });
    expect(ready.status).toBe("READY");
    expect(ready.objectCount).toBe(snapshot.objects.length);
    const privileged = await scope.db.finding.findMany({ where: { ...(await findingsOf(scope, packed.snapshotId)), checkId: "privileged-container" } });
    expect(privileged.map((f) => f.namespace).sort()).toEqual(["ops", "pay", "shop"]);
  });

  it("answers a replayed completion 200 and another body for it 409, and evaluates once", async () => {
    const { scope, token } = await newCluster();
    const packed = packSnapshot(sampleSnapshot());
    expect((await pushPacked(packed, token)).status).toBe(202);
    const replay = await postCompletion(packed.snapshotId, packed.completionBody, { token });
    expect(replay.status).toBe(200);
    expect(replay.json).toMatchObject({ status: "accepted", duplicate: true });
    const changed = zlib.gzipSync(JSON.stringify({ ...packed.completion, header: { ...packed.completion.header, collectedAt: new Date(0).toISOString() } }));
    expect((await postCompletion(packed.snapshotId, changed, { token })).status).toBe(409);
    // A chunk after completion: the same bytes are a replay, new ones a conflict.
    expect((await postChunk(packed.snapshotId, 0, packed.chunks[0]!.body, { token })).status).toBe(200);
    const extra = packSnapshot(sampleSnapshot({ namespaces: ["late"] }), { snapshotId: packed.snapshotId });
    expect((await postChunk(packed.snapshotId, 1, extra.chunks[0]!.body, { token })).status).toBe(409);
    await runJobsUntilIdle(database.prisma);
    const jobs = await database.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = $1`, `evaluate-snapshot:${packed.snapshotId}`);
    expect(jobs[0]!.n).toBe(0);
    const snapshot = await scope.db.snapshot.findUniqueOrThrow({ where: { id: packed.snapshotId } });
    expect(snapshot).toMatchObject({ status: "READY", evaluationCount: 1 });
  });

  it("refuses completion while a chunk is missing (409 listing it) and stores nothing new", async () => {
    const { scope, token } = await newCluster();
    const packed = packSnapshot(sampleSnapshot({ namespaces: ["a", "b", "c"] }), { maxObjectsPerChunk: 2 });
    expect(packed.chunks.length).toBeGreaterThanOrEqual(3);
    for (const chunk of packed.chunks) if (chunk.index !== 1) await postChunk(packed.snapshotId, chunk.index, chunk.body, { token });
    const answer = await postCompletion(packed.snapshotId, packed.completionBody, { token });
    expect(answer.status).toBe(409);
    expect(answer.json.error).toMatchObject({ reason: "chunks_missing", missing: [1] });
    expect((await scope.db.snapshot.findUniqueOrThrow({ where: { id: packed.snapshotId } })).status).toBe("RECEIVING");
    // The missing chunk arrives: now it completes.
    await postChunk(packed.snapshotId, 1, packed.chunks[1]!.body, { token });
    expect((await postCompletion(packed.snapshotId, packed.completionBody, { token })).status).toBe(202);
  });

  it("completes an empty cluster (no chunk, chunkCount 0)", async () => {
    const { scope, token } = await newCluster();
    const packed = packSnapshot({ ...sampleSnapshot(), objects: [] });
    expect(packed.chunks).toHaveLength(0);
    expect((await postCompletion(packed.snapshotId, packed.completionBody, { token })).status).toBe(202);
    await runJobsUntilIdle(database.prisma);
    expect((await scope.db.snapshot.findUniqueOrThrow({ where: { id: packed.snapshotId } })).status).toBe("READY");
  });

  it("validates the completion, naming the field", async () => {
    const { token } = await newCluster();
    const packed = packSnapshot(sampleSnapshot());
    const bad = zlib.gzipSync(JSON.stringify({ ...packed.completion, header: { ...packed.completion.header, collectedAt: "yesterday" } }));
    const answer = await postCompletion(packed.snapshotId, bad, { token });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ code: "validation_failed", field: "header.collectedAt" });
    const old = zlib.gzipSync(JSON.stringify({ ...packed.completion, header: { ...packed.completion.header, schemaVersion: "3.1" } }));
    expect((await postCompletion(packed.snapshotId, old, { token })).status).toBe(426);
  });

  it("binds a cluster to its kube-system UID and refuses a live snapshot from another cluster", async () => {
    const { scope, cluster, token } = await newCluster();
    const first = packSnapshot(sampleSnapshot({ mode: "cluster", clusterUid: "uid-one" }));
    expect((await pushPacked(first, token)).status).toBe(202);
    expect((await scope.db.cluster.findUniqueOrThrow({ where: { id: cluster.id } })).clusterUid).toBe("uid-one");
    const stranger = packSnapshot(sampleSnapshot({ mode: "cluster", clusterUid: "uid-two" }));
    const refused = await pushPacked(stranger, token);
    expect(refused.status).toBe(403);
    expect(refused.json.error).toMatchObject({ reason: "cluster_uid_mismatch" });
    expect(refused.json.error?.message).toContain("uid-one");
    expect((await postCompletion(stranger.snapshotId, stranger.completionBody, { token })).status).toBe(403);
    const stored = await scope.db.snapshot.findUniqueOrThrow({ where: { id: stranger.snapshotId } });
    expect(stored.status).toBe("FAILED");
    const audit = await scope.db.auditLog.findMany({ where: { orgId: scope.orgId, action: "snapshot.refused" } });
    expect(audit).toHaveLength(1);
    // File snapshots (closed worlds built offline) neither bind nor are checked.
    expect((await pushPacked(packSnapshot(sampleSnapshot({ mode: "file", clusterUid: "uid-three" })), token)).status).toBe(202);
  });
});

describe("tenant isolation", () => {
  it("never lets organization A's token touch organization B's snapshot", async () => {
    const a = await newCluster();
    const b = await newCluster();
    const packedB = packSnapshot(sampleSnapshot({ namespaces: ["b-only"] }));
    expect((await pushPacked(packedB, b.token)).status).toBe(202);
    await runJobsUntilIdle(database.prisma);
    const before = await b.scope.db.snapshot.findUniqueOrThrow({ where: { id: packedB.snapshotId } });

    // A's token, B's snapshot id: chunks (new index, replay of B's bytes) and completion are refused.
    const forged = packSnapshot(sampleSnapshot({ namespaces: ["a-only", "a-two"] }), { snapshotId: packedB.snapshotId, maxObjectsPerChunk: 2 });
    expect(forged.chunks.length).toBeGreaterThan(packedB.chunks.length);
    const newIndex = forged.chunks[packedB.chunks.length]!;
    for (const answer of [
      await postChunk(packedB.snapshotId, 0, packedB.chunks[0]!.body, { token: a.token }),
      await postChunk(packedB.snapshotId, 0, forged.chunks[0]!.body, { token: a.token }),
      await postChunk(packedB.snapshotId, newIndex.index, newIndex.body, { token: a.token }),
      await postCompletion(packedB.snapshotId, packedB.completionBody, { token: a.token }),
      await postAbandon(packedB.snapshotId, abandonBody(packedB.snapshotId), { token: a.token }),
    ]) {
      expect(answer.status).toBe(403);
    }
    const after = await b.scope.db.snapshot.findUniqueOrThrow({ where: { id: packedB.snapshotId } });
    expect(after).toEqual(before);
    expect(await b.scope.db.snapshotChunk.count({ where: { snapshotId: packedB.snapshotId } })).toBe(packedB.chunks.length);
    // Nothing was created in A's organization either, and A's own pushes land only in A.
    expect(await a.scope.db.snapshot.count({ where: { orgId: a.scope.orgId } })).toBe(0);
    const packedA = packSnapshot(sampleSnapshot());
    expect((await pushPacked(packedA, a.token)).status).toBe(202);
    expect(await b.scope.db.snapshot.findUnique({ where: { id: packedA.snapshotId } })).toBeNull();
    expect((await a.scope.db.snapshot.findUniqueOrThrow({ where: { id: packedA.snapshotId } })).clusterId).toBe(a.cluster.id);
  });

  it("refuses a snapshot id already used by another cluster of the same organization", async () => {
    const one = await newCluster();
    const two = await newCluster(one.scope);
    const packed = packSnapshot(sampleSnapshot());
    expect((await postChunk(packed.snapshotId, 0, packed.chunks[0]!.body, { token: one.token })).status).toBe(201);
    expect((await postChunk(packed.snapshotId, 0, packed.chunks[0]!.body, { token: two.token })).status).toBe(403);
  });
});

function abandonBody(snapshotId: string, reason = "push_refused", message = "chunk 3: HTTP 413 (payload_too_large: the chunk inflates to more than 16 MiB)") {
  return gzipJson({ snapshotId, reason, message });
}

describe("abandon", () => {
  it("marks an unfinished snapshot failed with the agent's reason, drops its chunks, and the cluster shows it", async () => {
    const { scope, cluster, token } = await newCluster();
    const good = packSnapshot(sampleSnapshot());
    expect((await pushPacked(good, token)).status).toBe(202);
    await runJobsUntilIdle(database.prisma);

    const packed = packSnapshot(sampleSnapshot({ namespaces: ["a", "b"] }), { maxObjectsPerChunk: 2 });
    expect((await postChunk(packed.snapshotId, 0, packed.chunks[0]!.body, { token })).status).toBe(201);
    const answer = await postAbandon(packed.snapshotId, abandonBody(packed.snapshotId), { token });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ snapshotId: packed.snapshotId, status: "abandoned", duplicate: false });
    const failed = await scope.db.snapshot.findUniqueOrThrow({ where: { id: packed.snapshotId } });
    expect(failed.status).toBe("FAILED");
    expect(failed.error).toBe("Not received: the server refused part of the snapshot: chunk 3: HTTP 413 (payload_too_large: the chunk inflates to more than 16 MiB)");
    expect(await scope.db.snapshotChunk.count({ where: { snapshotId: packed.snapshotId } })).toBe(0);
    // The last good snapshot stays the latest; the overview names the failure.
    const overview = (await listClusters({ scope })).find((c) => c.id === cluster.id);
    expect(overview!.latest?.snapshotId).toBe(good.snapshotId);
    expect(overview!.lastFailure).toMatchObject({ snapshotId: packed.snapshotId, error: failed.error });

    // A replay is answered as done; the snapshot cannot come back to life.
    const replay = await postAbandon(packed.snapshotId, abandonBody(packed.snapshotId), { token });
    expect(replay.status).toBe(200);
    expect(replay.json.duplicate).toBe(true);
    expect((await postChunk(packed.snapshotId, 1, packed.chunks[1]!.body, { token })).status).toBe(409);
  });

  it("creates the record when collection failed before any chunk", async () => {
    const { scope, token } = await newCluster();
    const snapshotId = newSnapshotId();
    const answer = await postAbandon(snapshotId, abandonBody(snapshotId, "collection_failed", "listing pods: 403 Forbidden"), { token });
    expect(answer.status).toBe(200);
    expect(await scope.db.snapshot.findUniqueOrThrow({ where: { id: snapshotId } })).toMatchObject({ status: "FAILED", error: "Not received: the agent could not collect the cluster: listing pods: 403 Forbidden" });
  });

  it("refuses to abandon a completed snapshot, and names the field of a bad report", async () => {
    const { scope, token } = await newCluster();
    const packed = packSnapshot(sampleSnapshot());
    expect((await pushPacked(packed, token)).status).toBe(202);
    const late = await postAbandon(packed.snapshotId, abandonBody(packed.snapshotId), { token });
    expect(late.status).toBe(409);
    expect(late.json.error?.code).toBe("conflict");
    expect((await scope.db.snapshot.findUniqueOrThrow({ where: { id: packed.snapshotId } })).status).toBe("QUEUED");

    const other = newSnapshotId();
    for (const [body, field] of [
      [gzipJson({ snapshotId: other, reason: "bored", message: "x" }), "reason"],
      [gzipJson({ snapshotId: other, reason: "push_gave_up", message: "" }), "message"],
      [gzipJson({ snapshotId: other, reason: "push_gave_up", message: "x".repeat(501) }), "message"],
      [gzipJson({ snapshotId: newSnapshotId(), reason: "push_gave_up", message: "x" }), "snapshotId"],
    ] as const) {
      const bad = await postAbandon(other, body, { token });
      expect(bad.status, field).toBe(400);
      expect(bad.json.error?.field).toBe(field);
    }
    expect(await scope.db.snapshot.findUnique({ where: { id: other } })).toBeNull();
  });
});

describe("a failing evaluation", () => {
  it("leaves nothing visible, retries, and marks the snapshot failed after the last attempt", async () => {
    const { scope, cluster, token } = await newCluster();
    const good = packSnapshot(sampleSnapshot());
    expect((await pushPacked(good, token)).status).toBe(202);
    await runJobsUntilIdle(database.prisma);

    const packed = packSnapshot(sampleSnapshot({ namespaces: ["next"] }));
    expect((await pushPacked(packed, token)).status).toBe(202);
    // Make the write fail halfway, for real: the day's score row breaks a CHECK the database enforces.
    await withDatabaseFault(async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        await database.prisma.$executeRawUnsafe(`UPDATE graphile_worker._private_jobs SET run_at = now() WHERE key = $1`, `evaluate-snapshot:${packed.snapshotId}`);
        await runJobsUntilIdle(database.prisma);
        const snapshot = await scope.db.snapshot.findUniqueOrThrow({ where: { id: packed.snapshotId } });
        expect(snapshot.status).toBe(attempt < 2 ? "EVALUATING" : "FAILED");
        expect(snapshot.score).toBeNull();
        expect(await scope.db.finding.count({ where: await findingsOf(scope, packed.snapshotId) })).toBe(0);
        expect(await scope.db.snapshotLayerScore.count({ where: { snapshotId: packed.snapshotId } })).toBe(0);
        expect((await scope.db.cluster.findUniqueOrThrow({ where: { id: cluster.id } })).latestSnapshotId).toBe(good.snapshotId);
      }
    });
    const failed = await scope.db.snapshot.findUniqueOrThrow({ where: { id: packed.snapshotId } });
    expect(failed.error).toMatch(/Evaluation failed/);
  });
});

/** Adds a CHECK constraint that every new DailyScore row violates, as the schema owner, for the duration of `fn`. */
async function withDatabaseFault(fn: () => Promise<void>): Promise<void> {
  const add = `ALTER TABLE "DailyScore" ADD CONSTRAINT test_fault CHECK (score < 0) NOT VALID`;
  const drop = `ALTER TABLE "DailyScore" DROP CONSTRAINT test_fault`;
  await asOwner(add);
  try {
    await fn();
  } finally {
    await asOwner(drop);
  }
}

async function asOwner(sql: string): Promise<void> {
  if (database.kind === "postgres") {
    const pg = await import("pg");
    const client = new pg.default.Client({ connectionString: database.url });
    await client.connect();
    await client.query(sql).finally(() => client.end());
    return;
  }
  // The embedded database's session user is the superuser; the app runs under SET ROLE.
  await database.prisma.$executeRawUnsafe("RESET ROLE");
  try {
    await database.prisma.$executeRawUnsafe(sql);
  } finally {
    await database.prisma.$executeRawUnsafe("SET ROLE ramparts_app");
  }
}
