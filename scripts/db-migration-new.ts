/**
 * Writes the next migration from the change of prisma/schema.prisma since the last one:
 *   npm run db:migration:new -- <name>
 * prisma/migrations/migrated-schema.prisma keeps the schema the migrations produce, so the
 * diff needs no database and no download.
 */
import fs from "node:fs";
import path from "node:path";
import { diffSchemas } from "@/lib/db/migrations/schema-engine";
import { MIGRATIONS_DIR } from "@/lib/db/migrations/migration-files";

const name = process.argv[2];
if (!name || !/^[a-z][a-z0-9_]{0,60}$/.test(name)) {
  console.error("usage: npm run db:migration:new -- <name>   (lowercase letters, digits and _)");
  process.exit(2);
}
const schemaPath = path.resolve("prisma/schema.prisma");
const snapshotPath = path.join(MIGRATIONS_DIR, "migrated-schema.prisma");
const current = fs.readFileSync(schemaPath, "utf8");
const previous = fs.existsSync(snapshotPath) ? fs.readFileSync(snapshotPath, "utf8") : null;
const sql = await diffSchemas(previous, current);
if (!sql.trim() || sql.includes("This is an empty migration")) {
  console.log("schema.prisma has no change since the last migration: nothing to write.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, "migration.sql"), sql);
fs.writeFileSync(snapshotPath, current);
fs.writeFileSync(path.join(MIGRATIONS_DIR, "migration_lock.toml"), 'provider = "postgresql"\n');
console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
console.log("New tenant tables need row-level security and grants: add them to this migration (see docs/operations.md).");
