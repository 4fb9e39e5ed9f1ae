/**
 * The one wrapper around every cookie-authenticated API route: it authenticates, checks the
 * origin of state-changing requests, resolves the organization and the caller's role, asserts
 * the permission, validates params, query and body with zod, calls the handler, and turns
 * every error into a JSON answer that names the field and never carries a stack trace.
 */
import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { settings } from "@/lib/config/settings";
import { db } from "@/lib/db/client";
import { AppError, unauthenticated } from "@/lib/errors";
import { userFromSessionToken, type CurrentUser } from "@/lib/auth/current-user";
import { sessionCookieName } from "@/lib/auth/session-cookie";
import { resolveTenantScope } from "@/lib/tenancy/resolve-membership";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import type { Action } from "@/lib/tenancy/permissions";
import { errorResponse, validationError } from "./api-error-response";
import { verifySameOrigin } from "./verify-same-origin";

const MAX_JSON_BODY_BYTES = 256 * 1024;

type RouteContext = { params: Promise<Record<string, string | string[]>> };

interface Spec<P, Q, B> {
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
}

export interface UserRouteContext<P, Q, B> {
  request: NextRequest;
  user: CurrentUser;
  params: P;
  query: Q;
  body: B;
}

export interface OrgRouteContext<P, Q, B> extends UserRouteContext<P, Q, B> {
  scope: TenantScope;
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}

async function readJsonBody(request: NextRequest): Promise<unknown> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw new AppError("unsupported_media_type", "Send the body as application/json");
  }
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_JSON_BODY_BYTES) {
    throw new AppError("payload_too_large", `The body is larger than ${MAX_JSON_BODY_BYTES / 1024} KiB`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The body is not valid JSON");
  }
}

async function authenticate(request: NextRequest): Promise<CurrentUser> {
  const user = await userFromSessionToken(request.cookies.get(sessionCookieName())?.value);
  if (!user) throw unauthenticated();
  verifySameOrigin(request, settings().appUrl);
  return user;
}

async function parseInputs<P, Q, B>(spec: Spec<P, Q, B>, request: NextRequest, rawParams: Record<string, string | string[]>) {
  const params = parse(spec.params, rawParams, "params");
  const query = parse(spec.query, Object.fromEntries(request.nextUrl.searchParams), "query");
  const body = spec.body ? parse(spec.body, await readJsonBody(request), "body") : (undefined as B);
  return { params, query, body };
}

function toResponse(result: unknown): Response {
  if (result instanceof Response) return result;
  if (result === undefined) return new NextResponse(null, { status: 204 });
  return NextResponse.json(result);
}

/** A route for any signed-in user (no organization in the path). */
export function userRoute<P = undefined, Q = undefined, B = undefined>(
  spec: Spec<P, Q, B>,
  handler: (ctx: UserRouteContext<P, Q, B>) => Promise<unknown>,
) {
  return async (request: NextRequest, context: RouteContext): Promise<Response> => {
    try {
      const user = await authenticate(request);
      const { params, query, body } = await parseInputs(spec, request, await context.params);
      return toResponse(await handler({ request, user, params, query, body }));
    } catch (error) {
      return errorResponse(error, { path: request.nextUrl.pathname });
    }
  };
}

/** A route under /api/orgs/[slug]/…: the caller must be a member allowed to perform `action`. */
export function orgRoute<P = undefined, Q = undefined, B = undefined>(
  spec: Spec<P, Q, B> & { action: Action },
  handler: (ctx: OrgRouteContext<P, Q, B>) => Promise<unknown>,
) {
  return async (request: NextRequest, context: RouteContext): Promise<Response> => {
    try {
      const user = await authenticate(request);
      const rawParams = await context.params;
      const slug = rawParams.slug;
      if (typeof slug !== "string") throw new AppError("not_found", "Organization not found");
      // Membership and permission first: a stranger learns nothing from validation errors.
      const scope = await resolveTenantScope(await db(), user.id, slug);
      scope.assert(spec.action);
      const { params, query, body } = await parseInputs(spec, request, rawParams);
      return toResponse(await handler({ request, user, scope, params, query, body }));
    } catch (error) {
      return errorResponse(error, { path: request.nextUrl.pathname });
    }
  };
}
