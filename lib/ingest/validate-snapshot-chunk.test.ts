/**
 * The chunk validator's fast check may only ever accept what the schema accepts; everything else
 * is the schema's decision, with the schema's error. Generated bodies (fast-check) hold it to
 * that; a pinned copy of the schema fails this file when the schema changes without the check.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { parseAllDocuments } from "yaml";
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { kubeObjectSchema } from "@/lib/snapshot/schema";
import { snapshotChunkSchema } from "@/lib/snapshot/protocol";
import { validateIngestBody } from "./parse-ingest-body";
import { acceptsKubeObject, validateSnapshotChunk } from "./validate-snapshot-chunk";
import { sampleSnapshot } from "./testing/sample-snapshot";

const SNAPSHOT_ID = "0192f0c4-5e1a-7b2c-8d3e-4f5a6b7c8d9e";

/** Anything JSON can hold, to put where a string, object or array is expected. */
const junk = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 4 }), fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }));
/** Mostly what the schema wants, sometimes not: each field is a chance for one problem. */
const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) => fc.oneof({ weight: 14, arbitrary: valid }, { weight: 1, arbitrary: invalid });
/** A string of min..max characters (the limits themselves included), or one just outside them, or junk. */
const sized = (min: number, max: number) =>
  mostly(fc.oneof(fc.string({ minLength: Math.max(min, 1), maxLength: 8 }), fc.constant("x".repeat(max)), fc.constant("x".repeat(min))), fc.oneof(fc.constant("x".repeat(max + 1)), min > 0 ? fc.constant("") : junk, junk));
const anyString = mostly(fc.string({ maxLength: 8 }), junk);
const stringMap = mostly(fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 4 }), fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), junk, { minKeys: 1, maxKeys: 3 }), junk));
const ownerReference = mostly(
  fc.record({ apiVersion: anyString, kind: anyString, name: anyString, uid: anyString, controller: mostly(fc.boolean(), junk), blockOwnerDeletion: junk }, { requiredKeys: ["apiVersion", "kind", "name"] }),
  fc.oneof(fc.record({ apiVersion: anyString, kind: anyString, name: anyString }, { requiredKeys: [] }), junk),
);
const metadata = mostly(
  fc.record(
    {
      name: sized(1, 253),
      namespace: sized(0, 253),
      uid: sized(0, 64),
      labels: stringMap,
      annotations: stringMap,
      ownerReferences: mostly(fc.array(ownerReference, { maxLength: 3 }), junk),
      creationTimestamp: anyString,
      resourceVersion: junk,
    },
    { requiredKeys: ["name"] },
  ),
  fc.oneof(fc.record({ namespace: sized(0, 253) }, { requiredKeys: [] }), junk),
);
const kubeObjectLike = mostly(
  fc.record({ apiVersion: sized(1, 316), kind: sized(1, 253), metadata, spec: junk }, { requiredKeys: ["apiVersion", "kind", "metadata"] }),
  fc.oneof(fc.record({ apiVersion: sized(1, 316), kind: sized(1, 253) }, { requiredKeys: [] }), junk),
);
/** As the server sees a body: what JSON.parse returns (keys named __proto__ included). */
const asParsed = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? "null");

function outcome(fn: () => unknown): { ok: unknown } | { error: { code: string; message: string; details: unknown } } {
  try {
    return { ok: fn() };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { error: { code: error.code, message: error.message, details: error.details } };
  }
}

describe("the fast check of an object", () => {
  it("accepts only what kubeObjectSchema accepts", () => {
    fc.assert(
      fc.property(kubeObjectLike.map(asParsed), (value) => {
        if (acceptsKubeObject(value)) expect(kubeObjectSchema.safeParse(value).success).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("is put to the test: the generated objects are often accepted and often refused", () => {
    const sample = fc.sample(kubeObjectLike.map(asParsed), { numRuns: 2000, seed: 42 });
    const accepted = sample.filter(acceptsKubeObject).length;
    expect(accepted).toBeGreaterThan(100);
    expect(sample.length - accepted).toBeGreaterThan(100);
  });

  it("accepts real objects (the examples and the sample snapshot), so large chunks take the fast path", () => {
    const dir = path.resolve(import.meta.dirname, "../../examples/insecure-cluster");
    const documents = readdirSync(dir)
      .filter((f) => f.endsWith(".yaml"))
      .flatMap((f) => parseAllDocuments(readFileSync(path.join(dir, f), "utf8")).map((d) => asParsed(d.toJS())))
      .filter((d) => d !== null);
    const objects = [...documents, ...sampleSnapshot({ namespaces: ["a", "b"], mode: "cluster" }).objects.map(asParsed)];
    expect(objects.length).toBeGreaterThan(20);
    for (const object of objects) expect(acceptsKubeObject(object)).toBe(true);
  });

  it("defers to the schema where JSON can surprise it (a label named __proto__ the schema skips)", () => {
    const value = JSON.parse(`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"__proto__":5}}}`);
    expect(acceptsKubeObject(value)).toBe(false);
    expect(kubeObjectSchema.safeParse(value).success).toBe(true);
    const chunk = { schemaVersion: "1.0", snapshotId: SNAPSHOT_ID, index: 0, objects: [value] };
    expect(validateSnapshotChunk(chunk).objects[0]).toBe(value);
  });

  it("fails here when the schema changes: update acceptsKubeObject with it", () => {
    // The check in validate-snapshot-chunk.ts mirrors exactly this schema.
    expect(z.toJSONSchema(kubeObjectSchema)).toEqual({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: {
        apiVersion: { type: "string", minLength: 1, maxLength: 316 },
        kind: { type: "string", minLength: 1, maxLength: 253 },
        metadata: {
          type: "object",
          properties: {
            name: { type: "string", minLength: 1, maxLength: 253 },
            namespace: { type: "string", maxLength: 253 },
            uid: { type: "string", maxLength: 64 },
            labels: { type: "object", propertyNames: { type: "string" }, additionalProperties: { type: "string" } },
            annotations: { type: "object", propertyNames: { type: "string" }, additionalProperties: { type: "string" } },
            ownerReferences: {
              type: "array",
              items: {
                type: "object",
                properties: { apiVersion: { type: "string" }, kind: { type: "string" }, name: { type: "string" }, uid: { type: "string" }, controller: { type: "boolean" } },
                required: ["apiVersion", "kind", "name"],
                additionalProperties: {},
              },
            },
            creationTimestamp: { type: "string" },
          },
          required: ["name"],
          additionalProperties: {},
        },
      },
      required: ["apiVersion", "kind", "metadata"],
      additionalProperties: {},
    });
  });
});

describe("validating a chunk", () => {
  const envelope = fc.record(
    {
      schemaVersion: fc.oneof(fc.constantFrom("1.0", "1.7", "1.x", "2.0", "", "1"), junk),
      snapshotId: fc.oneof({ weight: 5, arbitrary: fc.constant(SNAPSHOT_ID) }, { weight: 1, arbitrary: fc.constantFrom(SNAPSHOT_ID.toUpperCase(), "not-a-uuid") }, { weight: 1, arbitrary: junk }),
      index: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: -1, max: 2001 }) }, { weight: 1, arbitrary: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), junk) }),
      objects: fc.oneof({ weight: 6, arbitrary: fc.array(kubeObjectLike, { maxLength: 4 }) }, { weight: 1, arbitrary: junk }),
      extra: junk,
    },
    { requiredKeys: [] },
  );

  it("accepts and refuses exactly as the schema does, with the schema's first problem and field", () => {
    fc.assert(
      fc.property(fc.oneof({ weight: 8, arbitrary: envelope }, { weight: 1, arbitrary: junk }).map(asParsed), (value) => {
        const fast = outcome(() => validateSnapshotChunk(value));
        const schema = outcome(() => validateIngestBody(snapshotChunkSchema, value, ["schemaVersion"]));
        if ("error" in schema) {
          expect(fast).toEqual(schema);
          return;
        }
        expect("ok" in fast).toBe(true);
        const chunk = (fast as { ok: ReturnType<typeof validateSnapshotChunk> }).ok;
        const expected = schema.ok as z.infer<typeof snapshotChunkSchema>;
        expect({ schemaVersion: chunk.schemaVersion, snapshotId: chunk.snapshotId, index: chunk.index }).toEqual({ schemaVersion: expected.schemaVersion, snapshotId: expected.snapshotId, index: expected.index });
        // The parsed objects themselves, not copies: they are what the evaluation job reuses.
        expect(chunk.objects).toBe((value as { objects: unknown }).objects);
      }),
      { numRuns: 3000 },
    );
  });

  it("names the field of an invalid object, and answers 426 for another schema major before any field", () => {
    const good = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } };
    const bad = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", labels: { team: 7 } } };
    const body = { schemaVersion: "1.0", snapshotId: SNAPSHOT_ID, index: 0, objects: [good, good, good, bad] };
    expect(() => validateSnapshotChunk(body)).toThrow(expect.objectContaining({ code: "validation_failed", details: { field: "objects[3].metadata.labels.team" } }));
    expect(() => validateSnapshotChunk({ ...body, schemaVersion: "2.0" })).toThrow(expect.objectContaining({ code: "unsupported_schema_version" }));
  });
});
