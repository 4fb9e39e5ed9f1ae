/**
 * Calls App Router route handlers in-process with real Requests, as a browser or client would,
 * against the test database. The same handlers serve the running app.
 */
import { NextRequest } from "next/server";
import { sha256Hex } from "@/lib/security/hash-token";
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import crypto from "node:crypto";

export const TEST_APP_URL = "http://localhost:3000";

type Handler = (request: NextRequest, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

export async function createTestSession(prisma: PrismaClient, userId: string): Promise<string> {
  const token = crypto.randomUUID();
  await prisma.session.create({ data: { userId, sessionTokenHash: sha256Hex(token), expires: new Date(Date.now() + 3600_000) } });
  return token;
}

export async function callRoute(
  handler: Handler,
  options: {
    method?: string;
    path: string;
    params?: Record<string, string>;
    sessionToken?: string;
    body?: unknown;
    headers?: Record<string, string>;
    /** Defaults to the app's own origin on state-changing requests, as a browser sends it. */
    origin?: string | null;
  },
): Promise<{ status: number; json: unknown; headers: Headers }> {
  const method = options.method ?? "GET";
  const headers = new Headers(options.headers);
  if (options.sessionToken) headers.set("cookie", `next-auth.session-token=${options.sessionToken}`);
  const origin = options.origin === undefined ? (method === "GET" ? null : TEST_APP_URL) : options.origin;
  if (origin) headers.set("origin", origin);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const request = new NextRequest(new URL(options.path, TEST_APP_URL), { method, headers, body });
  const response = await handler(request, { params: Promise.resolve(options.params ?? {}) });
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: response.status, json, headers: response.headers };
}
