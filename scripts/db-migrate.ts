/**
 * `npm run db:migrate`: applies prisma/migrations to PostgreSQL (MIGRATE_DATABASE_URL, else
 * DATABASE_URL; a role that owns the schema) or, with neither set, to the embedded database.
 * Needs no download: see docs/operations.md.
 */
import path from "node:path";
import pg from "pg";
import { settings } from "@/lib/config/settings";
import { pgSession } from "@/lib/db/sql-session";
import { applyMigrations } from "@/lib/db/migrations/apply-migrations";
import { openEmbeddedDatabase } from "@/lib/db/embedded-database";

const config = settings();
try {
  if (config.migrateDatabaseUrl) {
    const client = new pg.Client({ connectionString: config.migrateDatabaseUrl });
    await client.connect();
    try {
      const { applied } = await applyMigrations(pgSession(client));
      console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
    } finally {
      await client.end();
    }
  } else {
    const dir = path.join(config.dataDir, "pglite");
    const pglite = await openEmbeddedDatabase({ dir });
    await pglite.close();
    console.log(`embedded database at ${path.relative(process.cwd(), dir)} is up to date`);
  }
} catch (error) {
  console.error(`migration failed: ${(error as Error).message}`);
  process.exit(1);
}
