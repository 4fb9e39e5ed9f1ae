/**
 * A local HTTP server implementing the ingest side of docs/agent-protocol.md, for the agent's
 * tests (the real ingest API is built separately from the same document). It checks what the
 * document says the server checks: bearer token, headers, gzip with a decompressed cap,
 * sha256, chunk body schema, idempotent chunks (same bytes → 200, different bytes → 409), and a
 * completion that names every chunk with its sha256, and the abandon report of a failed run.
 * Tests can script failures ahead of the
 * real handling: a status (with Retry-After), or a dropped connection.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { INGEST_API_PREFIX, MAX_CHUNK_COMPRESSED_BYTES, SUGGESTED_MAX_CHUNK_DECOMPRESSED_BYTES, snapshotAbandonSchema, snapshotChunkSchema, snapshotCompletionSchema, type SnapshotAbandon } from "@/lib/snapshot/protocol";
import { snapshotV1Schema, type SnapshotV1 } from "@/lib/snapshot/schema";

export type ScriptedFailure = { status: number; retryAfter?: string; body?: unknown } | { drop: true };

export interface IngestRequestRecord {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  status: number;
  at: number;
}

export interface FakeIngestServer {
  url: string;
  requests: IngestRequestRecord[];
  /** Raw (compressed) bodies as received, for "nothing secret on the wire" checks. */
  rawBodies: Buffer[];
  /** Failures served, in order, before normal handling resumes. */
  script: ScriptedFailure[];
  /** Completed snapshots, assembled and validated. */
  snapshots: Map<string, SnapshotV1>;
  /** Abandon reports, by snapshot id. */
  abandoned: Map<string, SnapshotAbandon>;
  /** Chunk requests are answered this long after they arrive (0: at once), to see uploads overlap. */
  chunkDelayMs: number;
  /** The most chunk requests that were open at the same time. */
  maxConcurrentChunks: number;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", ...headers });
  res.end(text);
}

const error = (code: string, message: string, extra: Record<string, unknown> = {}) => ({ error: { code, message, ...extra } });

export async function startFakeIngestServer(options: { token: string; minimumAgentVersion?: string }): Promise<FakeIngestServer> {
  const chunks = new Map<string, Map<number, { sha256: string; objects: unknown[] }>>();
  const completed = new Map<string, string>();
  const state: FakeIngestServer = { url: "", requests: [], rawBodies: [], script: [], snapshots: new Map(), abandoned: new Map(), chunkDelayMs: 0, maxConcurrentChunks: 0, close: async () => {} };
  let openChunks = 0;

  function handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): number {
    const scripted = state.script.shift();
    if (scripted) {
      if ("drop" in scripted) {
        req.socket.destroy();
        return 0;
      }
      json(res, scripted.status, scripted.body ?? error("scripted", `scripted ${scripted.status}`), scripted.retryAfter ? { "Retry-After": scripted.retryAfter } : {});
      return scripted.status;
    }
    const url = new URL(req.url ?? "/", "http://localhost");
    const match = new RegExp(`^${INGEST_API_PREFIX}/snapshots/([^/]+)/(chunks/(\\d+)|complete|abandon)$`).exec(url.pathname);
    if (req.method !== "POST" || !match) return (json(res, 404, error("not_found", "no such endpoint")), 404);
    if (req.headers.authorization !== `Bearer ${options.token}`) return (json(res, 401, error("invalid_token", "unknown or revoked token")), 401);
    const agentVersion = req.headers["x-ramparts-agent-version"];
    if (options.minimumAgentVersion && agentVersion !== options.minimumAgentVersion) {
      return (json(res, 426, error("agent_too_old", "agent version not supported", { minimumAgentVersion: options.minimumAgentVersion })), 426);
    }
    if (req.headers["x-ramparts-schema-version"] !== "1.0") return (json(res, 426, error("schema_unsupported", "schema version not supported", { minimumSchemaVersion: "1.0" })), 426);
    if (req.headers["content-encoding"] !== "gzip") return (json(res, 400, error("bad_encoding", "Content-Encoding must be gzip")), 400);
    if (raw.length > MAX_CHUNK_COMPRESSED_BYTES) return (json(res, 413, error("too_large", "compressed body above 2 MiB")), 413);
    const sha256 = createHash("sha256").update(raw).digest("hex");
    if (req.headers["x-ramparts-content-sha256"] !== sha256) return (json(res, 400, error("bad_digest", "X-Ramparts-Content-Sha256 does not match the body")), 400);
    let text: string;
    try {
      text = gunzipSync(raw, { maxOutputLength: SUGGESTED_MAX_CHUNK_DECOMPRESSED_BYTES }).toString("utf8");
    } catch (cause) {
      const tooLarge = (cause as { code?: string }).code === "ERR_BUFFER_TOO_LARGE";
      return tooLarge ? (json(res, 413, error("too_large", "decompressed body above the cap")), 413) : (json(res, 400, error("bad_encoding", "body is not gzip")), 400);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return (json(res, 400, error("bad_json", "body is not JSON")), 400);
    }
    const snapshotId = match[1] as string;

    if (match[3] !== undefined) {
      const index = Number(match[3]);
      if (req.headers["idempotency-key"] !== `${snapshotId}:${index}`) return (json(res, 400, error("bad_idempotency_key", "Idempotency-Key must be {snapshotId}:{index}")), 400);
      const parsed = snapshotChunkSchema.safeParse(body);
      if (!parsed.success || parsed.data.snapshotId !== snapshotId || parsed.data.index !== index) return (json(res, 400, error("bad_chunk", parsed.success ? "snapshotId/index differ from the URL" : parsed.error.message.slice(0, 500))), 400);
      if (completed.has(snapshotId)) return (json(res, 409, error("already_completed", "snapshot already completed")), 409);
      const forSnapshot = chunks.get(snapshotId) ?? new Map();
      chunks.set(snapshotId, forSnapshot);
      const existing = forSnapshot.get(index);
      if (existing) {
        if (existing.sha256 !== sha256) return (json(res, 409, error("chunk_conflict", "chunk index already stored with other content")), 409);
        return (json(res, 200, { snapshotId, index, sha256, stored: "duplicate" }), 200);
      }
      forSnapshot.set(index, { sha256, objects: parsed.data.objects });
      return (json(res, 201, { snapshotId, index, sha256, stored: "new" }), 201);
    }

    if (match[2] === "abandon") {
      if (req.headers["idempotency-key"] !== `${snapshotId}:abandon`) return (json(res, 400, error("bad_idempotency_key", "Idempotency-Key must be {snapshotId}:abandon")), 400);
      const parsed = snapshotAbandonSchema.safeParse(body);
      if (!parsed.success || parsed.data.snapshotId !== snapshotId) return (json(res, 400, error("bad_abandon", parsed.success ? "snapshotId differs from the URL" : parsed.error.message.slice(0, 500))), 400);
      if (completed.has(snapshotId)) return (json(res, 409, error("already_completed", "snapshot already completed")), 409);
      const duplicate = state.abandoned.has(snapshotId);
      state.abandoned.set(snapshotId, parsed.data);
      chunks.delete(snapshotId);
      return (json(res, 200, { snapshotId, status: "abandoned", duplicate }), 200);
    }

    if (req.headers["idempotency-key"] !== `${snapshotId}:complete`) return (json(res, 400, error("bad_idempotency_key", "Idempotency-Key must be {snapshotId}:complete")), 400);
    const parsed = snapshotCompletionSchema.safeParse(body);
    if (!parsed.success || parsed.data.snapshotId !== snapshotId) return (json(res, 400, error("bad_completion", parsed.success ? "snapshotId differs from the URL" : parsed.error.message.slice(0, 500))), 400);
    if (completed.get(snapshotId) === sha256) return (json(res, 200, { snapshotId, status: "accepted", duplicate: true }), 200);
    if (completed.has(snapshotId)) return (json(res, 409, error("already_completed", "snapshot completed with another body")), 409);
    const stored = chunks.get(snapshotId) ?? new Map();
    const missing = parsed.data.chunks.filter((c) => stored.get(c.index)?.sha256 !== c.sha256).map((c) => c.index);
    if (missing.length > 0 || stored.size !== parsed.data.chunkCount) return (json(res, 409, error("chunks_missing", `chunks missing or different: ${missing.join(",")}`, { missing })), 409);
    const objects = parsed.data.chunks.flatMap((c) => stored.get(c.index)?.objects ?? []);
    const snapshot = snapshotV1Schema.safeParse({ ...parsed.data.header, objects });
    if (!snapshot.success) return (json(res, 400, error("bad_snapshot", snapshot.error.message.slice(0, 500))), 400);
    completed.set(snapshotId, sha256);
    state.snapshots.set(snapshotId, snapshot.data);
    return (json(res, 202, { snapshotId, status: "accepted" }), 202);
  }

  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on("data", (part: Buffer) => {
      size += part.length;
      if (size <= MAX_CHUNK_COMPRESSED_BYTES + 1) parts.push(part);
    });
    const isChunk = (req.url ?? "").includes("/chunks/");
    if (isChunk) state.maxConcurrentChunks = Math.max(state.maxConcurrentChunks, ++openChunks);
    req.on("end", () => {
      const raw = Buffer.concat(parts);
      state.rawBodies.push(raw);
      const answer = () => {
        if (isChunk) openChunks--;
        const status = handle(req, res, raw);
        state.requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, status, at: Date.now() });
      };
      if (isChunk && state.chunkDelayMs > 0) setTimeout(answer, state.chunkDelayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
