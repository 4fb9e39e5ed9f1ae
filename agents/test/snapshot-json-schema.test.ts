import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildSnapshotJsonSchema, SNAPSHOT_JSON_SCHEMA_PATH } from "../tools/snapshot-json-schema";

describe("docs/snapshot-schema.json", () => {
  it("matches what the zod schema generates (run `npx tsx agents/tools/snapshot-json-schema.ts` when this fails)", () => {
    expect(readFileSync(SNAPSHOT_JSON_SCHEMA_PATH, "utf8")).toBe(buildSnapshotJsonSchema());
  });

  it("describes the v1 envelope and requires the coverage list", () => {
    const schema = JSON.parse(buildSnapshotJsonSchema()) as { required: string[]; properties: Record<string, unknown> };
    expect(schema.required).toEqual(expect.arrayContaining(["schemaVersion", "agent", "cluster", "collectedAt", "coverage", "objects"]));
  });
});
