/**
 * The push client against a local HTTP server implementing the ingest rules of
 * docs/agent-protocol.md (agents/test/support/fake-ingest-server.ts).
 */
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { CHUNKS_IN_FLIGHT, MAX_CHUNK_COMPRESSED_BYTES, snapshotChunkSchema } from "@/lib/snapshot/protocol";
import { SNAPSHOT_SCHEMA_VERSION, type KubeObject, type SnapshotHeader } from "@/lib/snapshot/schema";
import { createMemoryLogger } from "../src/log/logger";
import { IngestClient, PushStoppedError, validateServerUrl } from "../src/push/ingest-client";
import { PushSink } from "../src/push/push-sink";
import { backoffDelayMs, classifyStatus, DEFAULT_RETRY_POLICY, parseRetryAfterMs } from "../src/push/retry-policy";
import { ChunkBuilder, type SealedChunk } from "../src/snapshot/chunk-builder";
import { newSnapshotId } from "../src/snapshot/snapshot-id";
import { startFakeIngestServer, type FakeIngestServer } from "./support/fake-ingest-server";

const TOKEN = "rmp_test_token_0123456789abcdef";
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function ingest(minimumAgentVersion?: string): Promise<FakeIngestServer> {
  const server = await startFakeIngestServer({ token: TOKEN, minimumAgentVersion });
  closers.push(server.close);
  return server;
}

const header: SnapshotHeader = {
  schemaVersion: SNAPSHOT_SCHEMA_VERSION,
  agent: { version: "0.1.0", mode: "cluster" },
  cluster: { uid: "uid-1", kubernetesVersion: "v1.31.4", provider: { name: "unknown", evidence: [] } },
  collectedAt: "2026-11-01T10:00:00.000Z",
  coverage: [{ group: "", version: "v1", resource: "pods", status: "ok", count: 3 }],
};

function pod(i: number, filler = ""): KubeObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name: `pod-${i}`, namespace: "default" }, spec: { containers: [{ name: "c", image: "nginx", args: filler ? [filler] : [] }] } } as KubeObject;
}

function client(server: { url: string }, extra: Partial<ConstructorParameters<typeof IngestClient>[0]> = {}) {
  const sleeps: number[] = [];
  const log = createMemoryLogger();
  const c = new IngestClient({ serverUrl: server.url, token: TOKEN, agentVersion: "0.1.0", log, sleep: async (ms) => void sleeps.push(ms), retry: { baseDelayMs: 100, maxDelayMs: 2000, maxAttempts: 6, totalBudgetMs: 60_000 }, ...extra });
  closers.push(() => c.close());
  return { client: c, sleeps, log };
}

async function pushObjects(c: IngestClient, objects: KubeObject[]) {
  const snapshotId = newSnapshotId();
  const sink = new PushSink(c, snapshotId, createMemoryLogger());
  for (const o of objects) await sink.add(o);
  await sink.finish(header);
  return snapshotId;
}

describe("push protocol", () => {
  it("uploads gzip chunks with the protocol headers, then completes; the server assembles the snapshot", async () => {
    const server = await ingest();
    const { client: c } = client(server);
    const objects = Array.from({ length: 50 }, (_, i) => pod(i));
    const snapshotId = await pushObjects(c, objects);
    const chunkRequest = server.requests[0];
    expect(chunkRequest?.path).toBe(`/api/ingest/v1/snapshots/${snapshotId}/chunks/0`);
    expect(chunkRequest?.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, "content-encoding": "gzip", "content-type": "application/json", "idempotency-key": `${snapshotId}:0`, "x-ramparts-agent-version": "0.1.0", "x-ramparts-schema-version": "1.0" });
    expect(server.requests.at(-1)?.path).toBe(`/api/ingest/v1/snapshots/${snapshotId}/complete`);
    expect(server.requests.at(-1)?.status).toBe(202);
    const snapshot = server.snapshots.get(snapshotId);
    expect(snapshot?.objects.map((o) => o.metadata.name)).toEqual(objects.map((o) => o.metadata.name));
    expect(snapshot?.coverage).toEqual(header.coverage);
    expect(snapshotId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("retries network errors, 408, 429 and 5xx with backoff, honouring Retry-After, then succeeds", async () => {
    const server = await ingest();
    const { client: c, sleeps, log } = client(server, { random: () => 1 });
    server.script.push({ status: 503, retryAfter: "3" }, { drop: true }, { status: 429 }, { status: 408 }, { status: 500 });
    const snapshotId = await pushObjects(c, [pod(1)]);
    expect(server.snapshots.has(snapshotId)).toBe(true);
    // Retry-After: 3 s honoured; then full-jitter ceilings 200, 400, 800, 1600 ms (random() = 1).
    expect(sleeps).toEqual([3000, 200, 400, 800, 1600]);
    expect(log.lines.filter((l) => l.includes("upload failed, retrying"))).toHaveLength(5);
  });

  it.each([
    [400, /malformed \(400\)/],
    [401, /rejected the cluster token \(401\)/],
    [403, /may not push snapshots for this cluster \(403\)/],
    [413, /too large \(413\)/],
    [426, /too old for this server \(426\).*upgrade to 9\.9\.9/],
  ])("stops at once on %i with a clear log line", async (status, message) => {
    const server = await ingest();
    const { client: c, sleeps, log } = client(server);
    server.script.push({ status, body: { error: { code: "x", message: "server says no", minimumAgentVersion: "9.9.9" } } });
    const error = await pushObjects(c, [pod(1)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushStoppedError);
    expect((error as Error).message).toMatch(message);
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    const errorLines = log.lines.filter((l) => l.includes('"level":"error"'));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(message);
    expect(errorLines[0]).not.toContain(TOKEN);
  });

  it("stops on the real server's 401 and 426 answers too", async () => {
    const old = await ingest("0.2.0");
    const { client: c1 } = client(old);
    await expect(pushObjects(c1, [pod(1)])).rejects.toThrow(/too old.*upgrade to 0\.2\.0/);
    const server = await ingest();
    const { client: c2 } = client(server, { token: "rmp_wrong_token_000000000000" });
    await expect(pushObjects(c2, [pod(1)])).rejects.toThrow(/rejected the cluster token \(401\)/);
  });

  it("gives up when Retry-After would pass the total time budget", async () => {
    const server = await ingest();
    const { client: c, sleeps } = client(server, { retry: { totalBudgetMs: 10_000 } });
    server.script.push({ status: 503, retryAfter: "120" });
    await expect(pushObjects(c, [pod(1)])).rejects.toThrow(/would pass the push time budget of 10 s/);
    expect(sleeps).toEqual([]);
  });

  it("gives up after the maximum number of attempts", async () => {
    const server = await ingest();
    const { client: c, sleeps } = client(server, { random: () => 0.5 });
    for (let i = 0; i < 10; i++) server.script.push({ status: 502 });
    await expect(pushObjects(c, [pod(1)])).rejects.toThrow(/gave up after 6 attempts; last problem: HTTP 502/);
    expect(sleeps).toHaveLength(5);
    expect(server.requests).toHaveLength(6);
  });

  it("a replayed chunk is accepted by the server as the same chunk (idempotency)", async () => {
    const server = await ingest();
    const { client: c } = client(server);
    const snapshotId = newSnapshotId();
    const sealed: SealedChunk[] = [];
    const builder = new ChunkBuilder({ snapshotId, onChunk: async (chunk) => void sealed.push(chunk) });
    await builder.add(pod(1));
    const receipts = await builder.finish();
    await c.uploadChunk(snapshotId, sealed[0] as SealedChunk);
    await c.uploadChunk(snapshotId, sealed[0] as SealedChunk);
    expect(server.requests.map((r) => r.status)).toEqual([201, 200]);
    await c.complete({ snapshotId, header, chunkCount: 1, chunks: receipts });
    expect(server.snapshots.get(snapshotId)?.objects).toHaveLength(1);
  });

  it("keeps two chunks in flight while it packs the next, and completes only after every chunk is stored", async () => {
    const server = await ingest();
    server.chunkDelayMs = 40;
    const { client: c } = client(server);
    const snapshotId = newSnapshotId();
    const sink = new PushSink(c, snapshotId, createMemoryLogger(), { maxCompressedBytes: 16 * 1024 });
    const objects = Array.from({ length: 120 }, (_, i) => pod(i, randomBytes(400).toString("base64")));
    for (const o of objects) await sink.add(o);
    await sink.finish(header);
    const chunkRequests = server.requests.filter((r) => r.path.includes("/chunks/"));
    expect(chunkRequests.length).toBeGreaterThan(4);
    expect(server.maxConcurrentChunks).toBe(CHUNKS_IN_FLIGHT);
    expect(chunkRequests.every((r) => r.status === 201)).toBe(true);
    // The completion is the last request, after every chunk's answer.
    expect(server.requests.at(-1)?.path).toBe(`/api/ingest/v1/snapshots/${snapshotId}/complete`);
    expect(server.snapshots.get(snapshotId)?.objects.map((o) => o.metadata.name)).toEqual(objects.map((o) => o.metadata.name));
  });

  it("stops at a refused chunk: the error surfaces, chunks in flight end, and no completion is sent", async () => {
    const server = await ingest();
    server.chunkDelayMs = 20;
    const { client: c } = client(server);
    const snapshotId = newSnapshotId();
    const sink = new PushSink(c, snapshotId, createMemoryLogger(), { maxCompressedBytes: 16 * 1024 });
    // The first chunk is refused (400): the push must stop, not go on around it.
    server.script.push({ status: 400, body: { error: { code: "validation_failed", message: "objects[0].kind: Required" } } });
    const objects = Array.from({ length: 120 }, (_, i) => pod(i, randomBytes(400).toString("base64")));
    const pushing = (async () => {
      for (const o of objects) await sink.add(o);
      await sink.finish(header);
    })();
    await expect(pushing).rejects.toBeInstanceOf(PushStoppedError);
    await sink.abort();
    expect(server.requests.some((r) => r.path.endsWith("/complete"))).toBe(false);
    expect(server.requests.filter((r) => r.status === 400)).toHaveLength(1);
  });

  it("goes through an HTTPS proxy when one is configured, and not for NO_PROXY hosts", async () => {
    const server = await ingest();
    const proxied: string[] = [];
    // A minimal HTTPS proxy: CONNECT tunnels, as corporate proxies offer.
    const proxy: Server = createServer((_req, res) => {
      res.writeHead(405);
      res.end();
    });
    proxy.on("connect", (req, clientSocket: Socket, head: Buffer) => {
      proxied.push(req.url ?? "");
      const [host, port] = (req.url ?? "").split(":");
      const upstream = connect(Number(port), host as string, () => {
        clientSocket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(clientSocket);
        clientSocket.pipe(upstream);
      });
      upstream.on("error", () => clientSocket.destroy());
      clientSocket.on("error", () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise((resolve) => { proxy.closeAllConnections(); proxy.close(() => resolve()); }));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const { client: viaProxy } = client(server, { proxyUrl });
    await pushObjects(viaProxy, [pod(1)]);
    expect(proxied.length).toBeGreaterThanOrEqual(1);
    expect(proxied[0]).toBe(new URL(server.url).host);
    const before = proxied.length;
    const { client: direct } = client(server, { proxyUrl, noProxy: "example.com,127.0.0.1" });
    await pushObjects(direct, [pod(2)]);
    expect(proxied.length).toBe(before);
    expect(server.snapshots.size).toBe(2);
  });
});

describe("chunking", () => {
  it("keeps every chunk under the compressed limit, even for incompressible objects, in order", async () => {
    const limit = 64 * 1024;
    const chunks: SealedChunk[] = [];
    const snapshotId = newSnapshotId();
    const builder = new ChunkBuilder({ snapshotId, maxCompressedBytes: limit, onChunk: async (c) => void chunks.push(c) });
    const objects = Array.from({ length: 300 }, (_, i) => pod(i, randomBytes(700).toString("base64")));
    for (const o of objects) expect(await builder.add(o)).toBe(true);
    const receipts = await builder.finish();
    expect(chunks.length).toBeGreaterThan(3);
    expect(receipts.map((r) => r.index)).toEqual(chunks.map((_, i) => i));
    const names: string[] = [];
    for (const chunk of chunks) {
      expect(chunk.body.length).toBeLessThanOrEqual(limit);
      const body = snapshotChunkSchema.parse(JSON.parse(gunzipSync(chunk.body).toString("utf8")));
      expect(body.index).toBe(chunk.index);
      names.push(...body.objects.map((o) => o.metadata.name));
    }
    expect(names).toEqual(objects.map((o) => o.metadata.name));
    expect(MAX_CHUNK_COMPRESSED_BYTES).toBe(2 * 1024 * 1024);
  });

  it("leaves out an object larger than 1 MB and says so", async () => {
    const builder = new ChunkBuilder({ snapshotId: newSnapshotId(), onChunk: async () => {} });
    expect(await builder.add(pod(1, "x".repeat(1024 * 1024 + 10)))).toBe(false);
  });
});

describe("retry rules", () => {
  it("classifies statuses", () => {
    expect([200, 201, 202].map(classifyStatus)).toEqual(["success", "success", "success"]);
    expect([408, 429, 500, 502, 503, 504].map(classifyStatus)).toEqual(Array(6).fill("retry"));
    expect([400, 401, 403, 404, 409, 413, 422, 426].map(classifyStatus)).toEqual(Array(8).fill("stop"));
  });

  it("uses full jitter under an exponential, capped ceiling", () => {
    const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1000, maxDelayMs: 60_000 };
    expect(backoffDelayMs(0, p, () => 0)).toBe(0);
    expect(backoffDelayMs(0, p, () => 0.999)).toBe(999);
    expect(backoffDelayMs(3, p, () => 0.5)).toBe(4000);
    expect(backoffDelayMs(20, p, () => 0.999)).toBe(59_940);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfterMs("7")).toBe(7000);
    expect(parseRetryAfterMs("Wed, 21 Oct 2026 07:28:10 GMT", Date.parse("Wed, 21 Oct 2026 07:28:00 GMT"))).toBe(10_000);
    expect(parseRetryAfterMs("soon")).toBeUndefined();
    expect(parseRetryAfterMs(null)).toBeUndefined();
  });

  it("accepts only https servers (http to loopback), without credentials", () => {
    expect(validateServerUrl("https://app.ramparts.dev").host).toBe("app.ramparts.dev");
    expect(validateServerUrl("http://127.0.0.1:3000").port).toBe("3000");
    expect(() => validateServerUrl("http://app.ramparts.dev")).toThrow(/https/);
    expect(() => validateServerUrl("https://user:pw@app.ramparts.dev")).toThrow(/credentials/);
    expect(() => validateServerUrl("ftp://x")).toThrow();
    expect(() => validateServerUrl("not a url")).toThrow(/not a URL/);
  });
});
