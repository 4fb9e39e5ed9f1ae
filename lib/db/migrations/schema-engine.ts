/**
 * Prisma's schema engine, compiled to WebAssembly, used offline to turn a change of
 * schema.prisma into migration SQL (the native engine would have to be downloaded).
 * It needs a migration-aware adapter even to diff two schemas: an in-memory PGlite serves.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";

let initialized = false;

async function loadWasm(): Promise<void> {
  if (initialized) return;
  const require = createRequire(import.meta.url);
  const wasmPath = require.resolve("@prisma/schema-engine-wasm").replace(/schema_engine\.js$/, "schema_engine_bg.wasm");
  const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmPath), {
    "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports,
  });
  (bg as unknown as { __wbg_set_wasm(x: unknown): void }).__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
  initialized = true;
}

/** SQL that turns the database described by `from` (or an empty one) into the one described by `to`. */
export async function diffSchemas(from: string | null, to: string): Promise<string> {
  await loadWasm();
  const pglite = new PGlite();
  try {
    const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(pglite));
    const engine = await bg.SchemaEngine.new({ datamodels: [["schema.prisma", to]] }, () => {}, adapter);
    const target = (content: string) => ({ tag: "schemaDatamodel" as const, files: [{ path: "schema.prisma", content }] });
    const result = await engine.diff({
      from: from === null ? { tag: "empty" } : target(from),
      to: target(to),
      script: true,
      exitCode: true,
      filters: { externalTables: [], externalEnums: [] },
    });
    // Exit code 2 means "there is a difference"; 0 means none.
    return result.exitCode === 0 ? "" : (result.stdout ?? "");
  } finally {
    await pglite.close();
  }
}
