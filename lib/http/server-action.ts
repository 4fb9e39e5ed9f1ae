/**
 * The server-action twin of api-route.ts. Next.js already refuses server actions whose Origin
 * does not match the host (its CSRF protection); this adds authentication, the organization
 * and permission check, zod validation, and errors as values the form can show by field.
 */
import { z } from "zod";
import { db } from "@/lib/db/client";
import { AppError, unauthenticated } from "@/lib/errors";
import { getCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { resolveTenantScope } from "@/lib/tenancy/resolve-membership";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import type { Action } from "@/lib/tenancy/permissions";
import { logger } from "@/lib/observability/logger";
import { validationError } from "./api-error-response";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string; field?: string } };

function failure(error: unknown): ActionResult<never> {
  if (error instanceof z.ZodError) error = validationError(error);
  if (error instanceof AppError) {
    const field = typeof error.details.field === "string" ? error.details.field : undefined;
    return { ok: false, error: { code: error.code, message: error.message, ...(field ? { field } : {}) } };
  }
  // Next's redirect() and notFound() work by throwing: let them through.
  if (error instanceof Error && "digest" in error && typeof error.digest === "string" && error.digest.startsWith("NEXT_")) throw error;
  logger.error("action.unhandled_error", { error: error instanceof Error ? error : String(error) });
  return { ok: false, error: { code: "internal", message: "Something went wrong on our side. It has been logged." } };
}

export async function runUserAction<I, O>(
  schema: z.ZodType<I>,
  raw: unknown,
  fn: (ctx: { user: CurrentUser; input: I }) => Promise<O>,
): Promise<ActionResult<O>> {
  try {
    const user = await getCurrentUser();
    if (!user) throw unauthenticated();
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw validationError(parsed.error);
    return { ok: true, data: await fn({ user, input: parsed.data }) };
  } catch (error) {
    return failure(error);
  }
}

export async function runOrgAction<I, O>(
  spec: { slug: string; action: Action; schema: z.ZodType<I> },
  raw: unknown,
  fn: (ctx: { user: CurrentUser; scope: TenantScope; input: I }) => Promise<O>,
): Promise<ActionResult<O>> {
  try {
    const user = await getCurrentUser();
    if (!user) throw unauthenticated();
    if (typeof spec.slug !== "string") throw new AppError("not_found", "Organization not found");
    const scope = await resolveTenantScope(await db(), user.id, spec.slug);
    scope.assert(spec.action);
    const parsed = spec.schema.safeParse(raw);
    if (!parsed.success) throw validationError(parsed.error);
    return { ok: true, data: await fn({ user, scope, input: parsed.data }) };
  } catch (error) {
    return failure(error);
  }
}
