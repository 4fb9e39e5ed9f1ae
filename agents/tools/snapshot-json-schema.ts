/**
 * Generates docs/snapshot-schema.json from the zod schema in lib/snapshot (the single source).
 * Run: npx tsx agents/tools/snapshot-json-schema.ts [--check]
 * --check exits 1 when the committed file is stale (the test in agents/test does the same).
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { snapshotV1Schema, SNAPSHOT_SCHEMA_VERSION } from "@/lib/snapshot/schema";

export const SNAPSHOT_JSON_SCHEMA_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/snapshot-schema.json");

export function buildSnapshotJsonSchema(): string {
  const generated = z.toJSONSchema(snapshotV1Schema, { target: "draft-2020-12" });
  const document = {
    $id: "https://ramparts.dev/schemas/snapshot-v1.json",
    title: `Ramparts cluster snapshot v${SNAPSHOT_SCHEMA_VERSION}`,
    description:
      "What the Ramparts agent collects from a Kubernetes cluster, after redaction. Generated from lib/snapshot/schema.ts by agents/tools/snapshot-json-schema.ts; do not edit by hand.",
    ...generated,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

function main(): void {
  const fresh = buildSnapshotJsonSchema();
  if (process.argv.includes("--check")) {
    let committed = "";
    try {
      committed = readFileSync(SNAPSHOT_JSON_SCHEMA_PATH, "utf8");
    } catch {
      // missing counts as stale
    }
    if (committed !== fresh) {
      console.error(`${SNAPSHOT_JSON_SCHEMA_PATH} is stale: run npx tsx agents/tools/snapshot-json-schema.ts`);
      process.exit(1);
    }
    return;
  }
  writeFileSync(SNAPSHOT_JSON_SCHEMA_PATH, fresh);
  console.log(`wrote ${SNAPSHOT_JSON_SCHEMA_PATH}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
