/**
 * Fails when prisma/schema.prisma has a change that no migration carries: the database the
 * migrations build and the database schema.prisma describes must have the same catalog.
 * Runs offline on two in-memory PGlite databases.
 */
import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { pgliteSession } from "@/lib/db/sql-session";
import { applyMigrations } from "@/lib/db/migrations/apply-migrations";
import { diffSchemas } from "@/lib/db/migrations/schema-engine";
import { readSchemaCatalog, diffCatalogs } from "@/lib/db/migrations/schema-catalog";

const schema = fs.readFileSync("prisma/schema.prisma", "utf8");

const fromMigrations = new PGlite();
await applyMigrations(pgliteSession(fromMigrations));
const actual = await readSchemaCatalog(pgliteSession(fromMigrations));
await fromMigrations.close();

const fromSchema = new PGlite();
await fromSchema.exec(await diffSchemas(null, schema));
const expected = await readSchemaCatalog(pgliteSession(fromSchema));
await fromSchema.close();

const { missing, unexpected } = diffCatalogs(expected, actual);
if (missing.length || unexpected.length) {
  console.error("schema.prisma and prisma/migrations disagree. Run `npm run db:migration:new -- <name>`.");
  for (const line of missing) console.error(`  in schema.prisma, not in migrations: ${line}`);
  for (const line of unexpected) console.error(`  in migrations, not in schema.prisma: ${line}`);
  process.exit(1);
}
console.log(`migrations match schema.prisma (${expected.length} catalog entries)`);
