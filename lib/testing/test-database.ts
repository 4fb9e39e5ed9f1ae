/**
 * A fresh database for each test file, so tests never share state.
 * With TEST_DATABASE_URL (a PostgreSQL superuser connection), each file gets its own database
 * cloned from a migrated template; without it, an in-memory embedded database.
 * Either way the application connects as the unprivileged role, as in production.
 */
import crypto from "node:crypto";
import pg from "pg";
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import { connectPGlite, connectPostgres } from "@/lib/db/client";
import { openEmbeddedDatabase } from "@/lib/db/embedded-database";
import { applyMigrations } from "@/lib/db/migrations/apply-migrations";
import { readMigrationFiles } from "@/lib/db/migrations/migration-files";
import { pgSession } from "@/lib/db/sql-session";

export interface TestDatabase {
  prisma: PrismaClient;
  /** Set for PostgreSQL: a URL other processes (the app under test) can use. */
  url?: string;
  kind: "postgres" | "pglite";
  close(): Promise<void>;
}

const TEMPLATE_LOCK = 5_120_731;

export function templateDatabaseName(): string {
  const digest = crypto.createHash("sha256");
  for (const m of readMigrationFiles()) digest.update(m.name).update(m.checksum);
  return `ramparts_tpl_${digest.digest("hex").slice(0, 16)}`;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates (once) the migrated template database; safe to call from parallel workers. */
export async function ensureTemplateDatabase(adminUrl: string): Promise<string> {
  const name = templateDatabaseName();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK]);
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount === 0) {
      const building = `${name}_building_${process.pid}`;
      await admin.query(`DROP DATABASE IF EXISTS "${building}"`);
      await admin.query(`CREATE DATABASE "${building}"`);
      const client = new pg.Client({ connectionString: withDatabase(adminUrl, building) });
      await client.connect();
      try {
        await applyMigrations(pgSession(client));
      } finally {
        await client.end();
      }
      // Renamed only when complete, so a crash never leaves a half-migrated template.
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    }
    return name;
  } finally {
    await admin.query("SELECT pg_advisory_unlock($1)", [TEMPLATE_LOCK]).catch(() => {});
    await admin.end();
  }
}

export async function createPostgresTestDatabase(adminUrl: string, prefix = "ramparts_t"): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const template = await ensureTemplateDatabase(adminUrl);
  const name = `${prefix}_${process.pid}_${crypto.randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK]);
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    await admin.query("SELECT pg_advisory_unlock($1)", [TEMPLATE_LOCK]);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(adminUrl, name),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => c.end());
    },
  };
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const database = await createPostgresTestDatabase(adminUrl);
    const handle = connectPostgres(database.url, { max: 4 });
    return {
      prisma: handle.prisma,
      url: database.url,
      kind: "postgres",
      async close() {
        await handle.close();
        await database.drop();
      },
    };
  }
  const handle = connectPGlite(await openEmbeddedDatabase("memory"));
  return { prisma: handle.prisma, kind: "pglite", close: handle.close };
}
