/** Reads prisma/migrations in Prisma's own layout: <timestamp>_<name>/migration.sql. */
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";

export interface MigrationFile {
  name: string;
  sql: string;
  /** SHA-256 of the file, as Prisma records it in _prisma_migrations.checksum. */
  checksum: string;
}

// Read at run time from the working directory (the app runs from the repository or its image root).
export const MIGRATIONS_DIR = path.join(process.cwd(), "prisma", "migrations");

export function readMigrationFiles(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  if (!fs.existsSync(/*turbopackIgnore: true*/ dir)) return [];
  return fs
    .readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d{14}_[a-z0-9_]+$/.test(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(/*turbopackIgnore: true*/ path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}
