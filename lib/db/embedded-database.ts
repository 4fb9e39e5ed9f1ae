/**
 * The embedded default: PostgreSQL compiled to WebAssembly (PGlite), kept under the data dir.
 * One process may open a data directory; the app, the demo seeder and tests each open their own.
 */
import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pgliteSession } from "./sql-session";
import { applyMigrations } from "./migrations/apply-migrations";

export const APP_ROLE = "ramparts_app";

/** Opens (or creates) the database, applies pending migrations, then drops to the application role. */
export async function openEmbeddedDatabase(location: { dir: string } | "memory"): Promise<PGlite> {
  let pglite: PGlite;
  if (location === "memory") {
    pglite = new PGlite();
  } else {
    fs.mkdirSync(path.dirname(location.dir), { recursive: true });
    pglite = new PGlite(location.dir);
  }
  await pglite.waitReady;
  await applyMigrations(pgliteSession(pglite));
  // PGlite's only user is a superuser, which row-level security ignores: every application
  // query from here on runs as the unprivileged role instead.
  await pglite.exec(`SET ROLE ${APP_ROLE}`);
  return pglite;
}
