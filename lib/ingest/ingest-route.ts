/**
 * The one wrapper around ingest route handlers (the agent's side of the API): validates the
 * path, authenticates the cluster token, applies the per-cluster rate limit and the version
 * rules, reads the body under the size cap and checks its digest and Idempotency-Key, then
 * calls one domain function. Errors are JSON ({"error": {"code", "message", …}}) as
 * docs/agent-protocol.md specifies; nothing internal leaks.
 */
import crypto from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { AppError } from "@/lib/errors";
import { db } from "@/lib/db/client";
import { errorResponse } from "@/lib/http/api-error-response";
import { INGEST_HEADERS, MAX_CHUNKS, snapshotIdSchema } from "@/lib/snapshot/protocol";
import { authenticateAgent, type AgentIdentity } from "./authenticate-agent";
import { assertIngestRateLimit } from "./ingest-rate-limit";
import { assertSupportedAgentVersion, assertSupportedSchemaVersion } from "./protocol-versions";
import { readBodyWithLimit } from "./read-body-with-limit";
import { MAX_INGEST_BODY_BYTES } from "./ingest-limits";

type RouteContext = { params: Promise<Record<string, string | string[]>> };

export interface IngestRequest {
  request: NextRequest;
  agent: AgentIdentity;
  snapshotId: string;
  /** The chunk index (chunk calls only). */
  index: number | undefined;
  raw: Buffer;
  sha256: string;
  agentVersion: string | null;
  chartVersion: string | null;
  contentEncoding: string | null;
}

function header(request: NextRequest, name: string, max = 128): string | null {
  const value = request.headers.get(name);
  return value === null ? null : value.trim().slice(0, max);
}

/** The ingest calls: a chunk, the completion, and the agent's abandon report. */
export type IngestCallKind = "chunk" | "complete" | "abandon";

function parsePath(params: Record<string, string | string[]>, kind: IngestCallKind): { snapshotId: string; index: number | undefined } {
  const snapshotId = params.snapshotId;
  if (typeof snapshotId !== "string" || !snapshotIdSchema.safeParse(snapshotId).success) {
    throw new AppError("validation_failed", "snapshotId: must be a lower-case UUIDv7", { field: "snapshotId" });
  }
  if (kind !== "chunk") return { snapshotId, index: undefined };
  const index = params.index;
  if (typeof index !== "string" || !/^(0|[1-9]\d{0,5})$/.test(index) || Number(index) >= MAX_CHUNKS) {
    throw new AppError("validation_failed", `index: must be an integer from 0 to ${MAX_CHUNKS - 1}`, { field: "index" });
  }
  return { snapshotId, index: Number(index) };
}

export function ingestRoute(kind: IngestCallKind, handler: (req: IngestRequest) => Promise<Response>) {
  return async (request: NextRequest, context: RouteContext): Promise<Response> => {
    try {
      const { snapshotId, index } = parsePath(await context.params, kind);
      const prisma = await db();
      const agent = await authenticateAgent(prisma, request.headers.get(INGEST_HEADERS.authorization));
      assertIngestRateLimit(agent.clusterId);
      const agentVersion = header(request, INGEST_HEADERS.agentVersion, 64);
      assertSupportedAgentVersion(agentVersion);
      assertSupportedSchemaVersion(header(request, INGEST_HEADERS.schemaVersion, 32) ?? undefined, INGEST_HEADERS.schemaVersion);
      const expectedKey = `${snapshotId}:${kind === "chunk" ? index : kind}`;
      const idempotencyKey = header(request, INGEST_HEADERS.idempotencyKey, 200);
      if (idempotencyKey !== null && idempotencyKey !== expectedKey) {
        throw new AppError("validation_failed", `${INGEST_HEADERS.idempotencyKey}: must be ${expectedKey}`, { field: INGEST_HEADERS.idempotencyKey });
      }
      const contentEncoding = header(request, "content-encoding", 32);
      if (kind === "chunk" && contentEncoding?.toLowerCase() !== "gzip") {
        throw new AppError("bad_request", "Chunks must be sent gzip-compressed (Content-Encoding: gzip)", { reason: "bad_encoding" });
      }
      const raw = await readBodyWithLimit(request, MAX_INGEST_BODY_BYTES);
      if (raw.length === 0) throw new AppError("bad_request", "The request has no body", { reason: "empty_body" });
      const sha256 = crypto.createHash("sha256").update(raw).digest("hex");
      const declared = header(request, INGEST_HEADERS.contentSha256, 128);
      if (declared !== null && declared.toLowerCase() !== sha256) {
        throw new AppError("bad_request", `${INGEST_HEADERS.contentSha256} does not match the body as received`, { reason: "bad_digest" });
      }
      return await handler({
        request,
        agent,
        snapshotId,
        index,
        raw,
        sha256,
        agentVersion,
        chartVersion: header(request, INGEST_HEADERS.chartVersion, 64),
        contentEncoding,
      });
    } catch (error) {
      return errorResponse(error, { path: request.nextUrl.pathname });
    }
  };
}

export function ingestJson(body: unknown, status: number): Response {
  return NextResponse.json(body, { status });
}
