/**
 * The process-wide Prisma client: PostgreSQL when DATABASE_URL is set, the embedded database
 * otherwise. Either way every query runs as the unprivileged role "ramparts_app", so row-level
 * security applies. Tenant data is reached through lib/tenancy/tenant-db.ts, not this client.
 */
import path from "node:path";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { PGlite } from "@electric-sql/pglite";
import { PrismaClient } from "./generated/prisma/client";
import { settings } from "../config/settings";
import { APP_ROLE, openEmbeddedDatabase } from "./embedded-database";
import { registerPoolConnections } from "./transaction-connection";

export type Db = PrismaClient;

interface DbHandle {
  prisma: PrismaClient;
  close(): Promise<void>;
}

/** Connects to PostgreSQL as the application role (the login role must be a member of it). */
export function connectPostgres(connectionString: string, options: { max?: number } = {}): DbHandle {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    options: `-c role=${APP_ROLE}`,
    idleTimeoutMillis: 30_000,
    application_name: "ramparts",
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  registerPoolConnections(prisma, pool);
  return { prisma, close: async () => { await prisma.$disconnect(); await pool.end().catch(() => {}); } };
}

/** Clients whose database runs in this process (PGlite): its work competes with ours for the same thread. */
const inProcessClients = new WeakSet<PrismaClient>();

export function connectPGlite(pglite: PGlite): DbHandle {
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  inProcessClients.add(prisma);
  return { prisma, close: async () => { await prisma.$disconnect(); await pglite.close(); } };
}

/** True for the embedded database: nothing it does overlaps with this process's own work. */
export function databaseRunsInProcess(prisma: PrismaClient): boolean {
  return inProcessClients.has(prisma);
}

const globalForDb = globalThis as unknown as { rampartsDb?: Promise<DbHandle> };

async function open(): Promise<DbHandle> {
  const config = settings();
  if (config.databaseUrl) return connectPostgres(config.databaseUrl);
  const pglite = await openEmbeddedDatabase({ dir: path.join(config.dataDir, "pglite") });
  return connectPGlite(pglite);
}

/** The shared client; survives hot reloads in development. */
export async function db(): Promise<PrismaClient> {
  globalForDb.rampartsDb ??= open();
  return (await globalForDb.rampartsDb).prisma;
}

/** Replaces the shared client (tests, the demo seeder). */
export function useDbHandle(handle: DbHandle): void {
  globalForDb.rampartsDb = Promise.resolve(handle);
}

export async function closeDb(): Promise<void> {
  const handle = globalForDb.rampartsDb;
  globalForDb.rampartsDb = undefined;
  if (handle) await (await handle).close();
}
