/**
 * Turns an ingest body (bytes, maybe gzip) into a validated value: gunzip with the output cap,
 * JSON, a 426 for a schema version this server does not accept, then the zod schema, whose
 * first problem is answered with the field's path.
 */
import { isAscii } from "node:buffer";
import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { gunzipWithLimit, gunzipWithLimitAsync } from "./gunzip-with-limit";
import { MAX_INGEST_DECOMPRESSED_BYTES } from "./ingest-limits";
import { assertSupportedSchemaVersion } from "./protocol-versions";

export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/**
 * UTF-8 bytes as text. ASCII (what agents send: JSON escapes the rest) is copied byte for byte,
 * three times as fast as UTF-8 decoding, to the same string.
 */
export function jsonText(bytes: Buffer): string {
  return bytes.toString(isAscii(bytes) ? "latin1" : "utf8");
}

function normalizedEncoding(contentEncoding: string | null): string {
  return (contentEncoding ?? "").trim().toLowerCase();
}

function parseJson(bytes: Buffer): { value: unknown; bytes: number } {
  try {
    return { value: JSON.parse(jsonText(bytes)), bytes: bytes.length };
  } catch {
    throw new AppError("bad_request", "The body is not valid JSON", { reason: "bad_json" });
  }
}

/** The parsed JSON value and the size of the JSON text it came from. */
export function decodeIngestBody(raw: Buffer, contentEncoding: string | null): { value: unknown; bytes: number } {
  const encoding = normalizedEncoding(contentEncoding);
  if (encoding === "gzip") return parseJson(gunzipWithLimit(raw, MAX_INGEST_DECOMPRESSED_BYTES));
  if (encoding === "" || encoding === "identity") {
    if (raw.length > MAX_INGEST_DECOMPRESSED_BYTES) throw new AppError("payload_too_large", "The body is larger than the limit", { limitBytes: MAX_INGEST_DECOMPRESSED_BYTES });
    return parseJson(raw);
  }
  throw new AppError("bad_request", `Content-Encoding ${JSON.stringify(encoding.slice(0, 32))} is not supported; send gzip`, { reason: "bad_encoding" });
}

/** The same, inflating gzip on the thread pool: a chunk inflates while another request is parsed. */
export async function decodeIngestBodyAsync(raw: Buffer, contentEncoding: string | null): Promise<{ value: unknown; bytes: number }> {
  if (normalizedEncoding(contentEncoding) !== "gzip") return decodeIngestBody(raw, contentEncoding);
  return parseJson(await gunzipWithLimitAsync(raw, MAX_INGEST_DECOMPRESSED_BYTES));
}

/** Validates with `schema` after the version check at `versionPath` (426 before any field error; null: a body without a version). */
export function validateIngestBody<T>(schema: z.ZodType<T>, value: unknown, versionPath: readonly string[] | null): T {
  if (versionPath) {
    let version: unknown = value;
    for (const key of versionPath) version = version && typeof version === "object" ? (version as Record<string, unknown>)[key] : undefined;
    assertSupportedSchemaVersion(version, versionPath.join("."));
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = formatIssuePath(issue.path);
  const more = result.error.issues.length > 1 ? ` (and ${result.error.issues.length - 1} more problem${result.error.issues.length > 2 ? "s" : ""})` : "";
  const message = `${field ? `${field}: ` : ""}${issue.message}${more}`.slice(0, 1000);
  throw new AppError("validation_failed", message, field ? { field } : {});
}
