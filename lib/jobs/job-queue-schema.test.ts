/**
 * The job queue's schema comes from a migration (prisma/migrations/*_job_queue), not from
 * graphile-worker at run time: the application role may not create schemas. These tests fail
 * when the installed graphile-worker ships a migration the database lacks (add a migration with
 * its SQL), and prove the application role can enqueue without migrating anything.
 */
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";

const require = createRequire(import.meta.url);
const { migrations } = require("graphile-worker/dist/generated/sql.js") as { migrations: Record<string, string> };

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

describe("the job queue schema", () => {
  it("holds every migration of the installed graphile-worker, with its breaking flag", async () => {
    const rows = await database.prisma.$queryRawUnsafe<{ id: number; breaking: boolean }[]>(`SELECT id, breaking FROM graphile_worker.migrations ORDER BY id`);
    const expected = Object.entries(migrations).map(([file, text]) => ({ id: parseInt(file.slice(0, 6), 10), breaking: text.startsWith("--! breaking") }));
    expect(rows).toEqual(expected);
  });

  it("lets the application role enqueue through add_job (row-level security opened for it)", async () => {
    const [row] = await database.prisma.$queryRawUnsafe<{ role: string; key: string }[]>(
      `SELECT current_user::text AS role, (graphile_worker.add_job('schema-test', '{}'::json, job_key => 'schema-test-key')).key AS key`,
    );
    expect(row).toEqual({ role: "ramparts_app", key: "schema-test-key" });
    const [count] = await database.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = 'schema-test-key'`);
    expect(count?.n).toBe(1);
  });

  it("does not let the application role rewrite the queue's migration history", async () => {
    await expect(database.prisma.$executeRawUnsafe(`DELETE FROM graphile_worker.migrations`)).rejects.toThrow(/permission denied/);
  });
});
