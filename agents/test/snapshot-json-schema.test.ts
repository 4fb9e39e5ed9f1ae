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

describe("docs/agent.md", () => {
  it("names every resource the agent collects", async () => {
    const { RESOURCE_CATALOG } = await import("../src/collect/resource-catalog");
    const doc = readFileSync(new URL("../../docs/agent.md", import.meta.url), "utf8");
    const missing = RESOURCE_CATALOG.filter((e) => !new RegExp(`\\b${e.resource}\\b`).test(doc)).map((e) => `${e.group}/${e.resource}`);
    expect(missing).toEqual([]);
  });

  it("docs/agent-protocol.md states the limits the code enforces", async () => {
    const protocol = await import("@/lib/snapshot/protocol");
    const doc = readFileSync(new URL("../../docs/agent-protocol.md", import.meta.url), "utf8");
    expect(doc).toContain(protocol.MAX_CHUNK_COMPRESSED_BYTES.toLocaleString("en-US"));
    expect(doc).toContain(`< ${protocol.MAX_CHUNKS}`);
    for (const header of Object.values(protocol.INGEST_HEADERS)) expect(doc).toContain(`\`${header}\``);
  });
});
