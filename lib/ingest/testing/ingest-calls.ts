/**
 * Calls the ingest route handlers in-process with real Requests carrying binary bodies and the
 * agent's headers, as the agent's client sends them (agents/src/push/ingest-client.ts).
 */
import { NextRequest } from "next/server";
import * as chunkRoute from "@/app/api/ingest/v1/snapshots/[snapshotId]/chunks/[index]/route";
import * as completeRoute from "@/app/api/ingest/v1/snapshots/[snapshotId]/complete/route";
import * as abandonRoute from "@/app/api/ingest/v1/snapshots/[snapshotId]/abandon/route";
import { sha256, type PackedSnapshot } from "@/lib/ingest/pack-snapshot";

export interface IngestCallOptions {
  token?: string | null;
  /** Headers to add or override (null removes). */
  headers?: Record<string, string | null>;
  sha256?: string;
}

export interface IngestAnswer {
  status: number;
  json: { error?: { code: string; message: string; [key: string]: unknown }; [key: string]: unknown };
  headers: Headers;
}

async function call(handler: typeof chunkRoute.POST, path: string, params: Record<string, string>, body: Buffer, idempotencyKey: string, options: IngestCallOptions): Promise<IngestAnswer> {
  const headers = new Headers({
    "content-type": "application/json",
    "content-encoding": "gzip",
    "idempotency-key": idempotencyKey,
    "x-ramparts-agent-version": "0.1.0",
    "x-ramparts-schema-version": "1.0",
    "x-ramparts-content-sha256": options.sha256 ?? sha256(body),
    "user-agent": "ramparts-agent/0.1.0",
  });
  if (options.token !== null && options.token !== undefined) headers.set("authorization", `Bearer ${options.token}`);
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === null) headers.delete(name);
    else headers.set(name, value);
  }
  const request = new NextRequest(new URL(path, "http://localhost:3000"), { method: "POST", headers, body: new Uint8Array(body) });
  const response = await handler(request, { params: Promise.resolve(params) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : {}, headers: response.headers };
}

export function postChunk(snapshotId: string, index: number | string, body: Buffer, options: IngestCallOptions = {}): Promise<IngestAnswer> {
  return call(chunkRoute.POST, `/api/ingest/v1/snapshots/${snapshotId}/chunks/${index}`, { snapshotId, index: String(index) }, body, `${snapshotId}:${index}`, options);
}

export function postCompletion(snapshotId: string, body: Buffer, options: IngestCallOptions = {}): Promise<IngestAnswer> {
  return call(completeRoute.POST, `/api/ingest/v1/snapshots/${snapshotId}/complete`, { snapshotId }, body, `${snapshotId}:complete`, options);
}

export function postAbandon(snapshotId: string, body: Buffer, options: IngestCallOptions = {}): Promise<IngestAnswer> {
  return call(abandonRoute.POST, `/api/ingest/v1/snapshots/${snapshotId}/abandon`, { snapshotId }, body, `${snapshotId}:abandon`, options);
}

/** Every chunk, then the completion; stops at the first non-2xx answer and returns it. */
export async function pushPacked(packed: PackedSnapshot, token: string): Promise<IngestAnswer> {
  for (const chunk of packed.chunks) {
    const answer = await postChunk(packed.snapshotId, chunk.index, chunk.body, { token });
    if (answer.status >= 300) return answer;
  }
  return postCompletion(packed.snapshotId, packed.completionBody, { token });
}
