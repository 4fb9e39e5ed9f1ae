/**
 * Once per Vitest run: with TEST_DATABASE_URL, build the migrated template database (so workers
 * do not race to build it) and drop databases left behind by test processes that died.
 */
import pg from "pg";
import { ensureTemplateDatabase } from "./test-database";

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export default async function setup() {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) return;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname ~ '^ramparts_(t|e2e)_[0-9]+_'`);
    for (const { datname } of rows) {
      const pid = Number(datname.split("_")[2]);
      if (!processAlive(pid)) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
  await ensureTemplateDatabase(adminUrl);
}
