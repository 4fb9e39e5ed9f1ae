import { NextResponse } from "next/server";
import { z } from "zod";
import crypto from "node:crypto";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/observability/logger";

export interface ApiErrorBody {
  error: { code: string; message: string; field?: string; requestId?: string; [key: string]: unknown };
}

/** The first issue of a zod error, as "field: message" with the field's dotted path. */
export function validationError(error: z.ZodError, prefix?: string): AppError {
  const issue = error.issues[0]!;
  const field = [prefix, ...issue.path.map(String)].filter(Boolean).join(".");
  return new AppError("validation_failed", field ? `${field}: ${issue.message}` : issue.message, field ? { field } : {});
}

/** Maps any thrown value to a JSON error; internal errors are logged with their stack and answered without it. */
export function errorResponse(error: unknown, context: Record<string, unknown> = {}): NextResponse<ApiErrorBody> {
  if (error instanceof z.ZodError) error = validationError(error);
  if (error instanceof AppError) {
    const { retryAfterSeconds, ...details } = error.details;
    const response = NextResponse.json<ApiErrorBody>({ error: { code: error.code, message: error.message, ...details } }, { status: error.status });
    if (retryAfterSeconds) response.headers.set("Retry-After", String(retryAfterSeconds));
    return response;
  }
  const requestId = crypto.randomUUID();
  logger.error("api.unhandled_error", { requestId, error: error instanceof Error ? error : String(error), ...context });
  return NextResponse.json<ApiErrorBody>(
    { error: { code: "internal", message: "Something went wrong on our side. It has been logged.", requestId } },
    { status: 500 },
  );
}
