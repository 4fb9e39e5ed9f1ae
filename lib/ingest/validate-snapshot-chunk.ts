/**
 * Validation of a chunk body, as strict as `snapshotChunkSchema` and with the same error, at a
 * fraction of its cost on large chunks.
 *
 * The envelope (schemaVersion, snapshotId, index) goes through zod. The objects go through a
 * hand-written check of exactly what `kubeObjectSchema` requires (lib/snapshot/schema.ts),
 * which allocates nothing; the schema would copy every object, label and annotation map, then
 * the copy would be thrown away (about a fifth of a 100,000-object upload, bench/ingest-end-to-end.ts).
 * The check only ever ACCEPTS: when it finds anything it does not accept, zod parses the whole
 * body and decides, so a body is accepted or refused exactly as the schema would, with the
 * schema's message and field (`objects[3].metadata.name`). Tests hold the check to the schema
 * (generated bodies: whatever the check accepts, the schema accepts) and fail when the schema
 * changes without the check.
 */
import type { z } from "zod";
import { snapshotChunkSchema } from "@/lib/snapshot/protocol";
import type { KubeObject } from "@/lib/snapshot/schema";
import { validateIngestBody } from "./parse-ingest-body";

/** The chunk as validated; `objects` are the parsed objects themselves (not copies). */
export interface ValidatedChunk {
  schemaVersion: string;
  snapshotId: string;
  index: number;
  objects: KubeObject[];
}

const envelopeSchema: z.ZodType<Omit<ValidatedChunk, "objects">> = snapshotChunkSchema.omit({ objects: true });

/** A JSON object (zod's object check: not null, not an array). */
function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStringOfLength(value: unknown, min: number, max: number): boolean {
  return typeof value === "string" && value.length >= min && value.length <= max;
}

function isOptionalStringOfLength(value: unknown, max: number): boolean {
  return value === undefined || (typeof value === "string" && value.length <= max);
}

/** z.record(z.string(), z.string()), optional. */
function isOptionalStringMap(value: unknown): boolean {
  if (value === undefined) return true;
  if (!isJsonObject(value)) return false;
  for (const key in value) if (typeof value[key] !== "string") return false;
  return true;
}

/** ownerReferenceSchema: apiVersion, kind, name strings; uid string and controller boolean when present; anything else allowed. */
function isOwnerReference(value: unknown): boolean {
  return (
    isJsonObject(value) &&
    typeof value.apiVersion === "string" &&
    typeof value.kind === "string" &&
    typeof value.name === "string" &&
    (value.uid === undefined || typeof value.uid === "string") &&
    (value.controller === undefined || typeof value.controller === "boolean")
  );
}

function isObjectMeta(value: unknown): boolean {
  if (!isJsonObject(value)) return false;
  if (!isStringOfLength(value.name, 1, 253)) return false;
  if (!isOptionalStringOfLength(value.namespace, 253) || !isOptionalStringOfLength(value.uid, 64)) return false;
  if (!isOptionalStringMap(value.labels) || !isOptionalStringMap(value.annotations)) return false;
  if (value.creationTimestamp !== undefined && typeof value.creationTimestamp !== "string") return false;
  const owners = value.ownerReferences;
  if (owners !== undefined) {
    if (!Array.isArray(owners)) return false;
    for (const owner of owners) if (!isOwnerReference(owner)) return false;
  }
  return true;
}

/** True only when `kubeObjectSchema` accepts `value` (a value JSON.parse produced); false means "ask the schema". */
export function acceptsKubeObject(value: unknown): boolean {
  return isJsonObject(value) && isStringOfLength(value.apiVersion, 1, 316) && isStringOfLength(value.kind, 1, 253) && isObjectMeta(value.metadata);
}

/**
 * Validates a parsed chunk body: the schema version first (426), then the envelope and every
 * object. Throws the AppError `validateIngestBody` throws for the schema's first problem.
 */
export function validateSnapshotChunk(value: unknown): ValidatedChunk {
  if (isJsonObject(value)) {
    const objects = value.objects;
    if (Array.isArray(objects) && objects.length > 0 && objects.every(acceptsKubeObject)) {
      const envelope = validateIngestBody(envelopeSchema, value, ["schemaVersion"]);
      return { ...envelope, objects: objects as KubeObject[] };
    }
  }
  validateIngestBody(snapshotChunkSchema, value, ["schemaVersion"]);
  // The schema accepted what the check did not: take the objects as parsed, like the fast path.
  return { ...validateIngestBody(envelopeSchema, value, ["schemaVersion"]), objects: (value as { objects: KubeObject[] }).objects };
}
