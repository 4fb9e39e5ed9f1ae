/**
 * The wrapper of the public (anonymous) domain-check API: no cookies, no CORS (no Access-Control-* header is
 * ever sent, so browsers keep other sites from reading answers or sending JSON), cross-site browser requests
 * refused outright, a per-address request budget, and every error as JSON without a stack trace.
 */
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { errorResponse, validationError } from "@/lib/http/api-error-response";
import { settings } from "@/lib/config/settings";
import { AppError } from "@/lib/errors";
import { clientAddress } from "@/lib/security/rate-limiter";
import { DomainCheckUnavailableError, publicDomainChecks } from "./public-domain-checks";
import type { PublicScanService } from "./public-scan-service";

const MAX_BODY_BYTES = 4 * 1024;

type RouteContext = { params: Promise<Record<string, string | string[]>> };

export interface PublicRouteContext {
  request: NextRequest;
  service: PublicScanService;
  client: string;
  params: Record<string, string | string[]>;
}

/** A browser on another site may not drive this API (it could not read the answer, but it could spend our scans). */
function refuseCrossSite(request: NextRequest): void {
  const site = request.headers.get("sec-fetch-site");
  const origin = request.headers.get("origin");
  const ours = new Set([request.nextUrl.origin, new URL(settings().appUrl).origin]);
  if (site === "cross-site" || site === "same-site" || (origin !== null && !ours.has(origin))) {
    throw new AppError("csrf_failed", "Cross-site requests to the domain check are refused");
  }
}

export async function readSmallJson<T>(request: NextRequest, schema: z.ZodType<T>): Promise<T> {
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
    throw new AppError("unsupported_media_type", "Send the body as application/json");
  }
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new AppError("payload_too_large", "The body is larger than 4 KiB");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The body is not valid JSON");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

export function unavailableResponse(message: string): NextResponse {
  return NextResponse.json({ error: { code: "unavailable", message } }, { status: 503, headers: { "Cache-Control": "no-store" } });
}

export function publicRoute(handler: (ctx: PublicRouteContext) => Promise<Response>) {
  return async (request: NextRequest, context: RouteContext): Promise<Response> => {
    let response: Response;
    try {
      refuseCrossSite(request);
      const service = publicDomainChecks();
      const client = clientAddress(request.headers);
      service.takeRequest(client);
      response = await handler({ request, service, client, params: await context.params });
    } catch (error) {
      response = error instanceof DomainCheckUnavailableError ? unavailableResponse(error.message) : errorResponse(error, { path: request.nextUrl.pathname });
    }
    if (!response.headers.has("Cache-Control")) response.headers.set("Cache-Control", "no-store");
    return response;
  };
}
