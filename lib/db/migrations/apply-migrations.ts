/**
 * Applies prisma/migrations to PostgreSQL or PGlite without Prisma's native schema engine
 * (it cannot be downloaded here). Records each migration in `_prisma_migrations` exactly as
 * `prisma migrate deploy` does, so either tool can take over a database the other started.
 */
import crypto from "node:crypto";
import type { SqlSession } from "../sql-session";
import { readMigrationFiles, type MigrationFile } from "./migration-files";

// Prisma's own advisory lock key: two deploys (ours or Prisma's) never run at once.
const PRISMA_ADVISORY_LOCK = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export class MigrationError extends Error {
  override name = "MigrationError";
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export async function applyMigrations(
  db: SqlSession,
  migrations: MigrationFile[] = readMigrationFiles(),
): Promise<{ applied: string[] }> {
  await db.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK]);
  try {
    await db.exec(CREATE_MIGRATIONS_TABLE);
    const rows = await db.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const done = new Map(rows.map((row) => [row.migration_name, row]));
    for (const row of rows) {
      if (!row.finished_at) {
        throw new MigrationError(
          `Migration ${row.migration_name} failed earlier and was never completed: fix the database, then mark it rolled back.`,
        );
      }
    }
    const applied: string[] = [];
    for (const migration of migrations) {
      const previous = done.get(migration.name);
      if (previous) {
        if (previous.checksum !== migration.checksum) {
          throw new MigrationError(`Migration ${migration.name} was modified after it was applied (checksum differs).`);
        }
        continue;
      }
      await applyOne(db, migration);
      applied.push(migration.name);
    }
    return { applied };
  } finally {
    await db.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK]);
  }
}

async function applyOne(db: SqlSession, migration: MigrationFile): Promise<void> {
  const id = crypto.randomUUID();
  // PostgreSQL DDL is transactional: a failing migration leaves nothing behind.
  await db.exec("BEGIN");
  try {
    await db.exec(migration.sql);
    await db.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), now(), 1)`,
      [id, migration.checksum, migration.name],
    );
    await db.exec("COMMIT");
  } catch (error) {
    await db.exec("ROLLBACK");
    throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`);
  }
  // Trust the database, not the runner (an adapter once reported success for a failed script).
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE migration_name = $1 AND finished_at IS NOT NULL`,
    [migration.name],
  );
  if (!row || row.n !== 1) throw new MigrationError(`Migration ${migration.name} was not recorded as applied.`);
}
