/**
 * The node-postgres connection under a Prisma interactive transaction, for the one statement
 * whose parameters are too large for Prisma's path: a batch of findings is a few megabytes of
 * text, which Prisma serializes and deserializes on its way to node-postgres (about a fifth of
 * the evaluation job's own insert work, bench/ingest-end-to-end.ts). The connection is found by
 * asking the transaction for its backend pid: a live backend's pid is unique, and the pool that
 * served the transaction is ours (lib/db/client.ts registers its connections here). A statement
 * sent on it runs inside the transaction, in order with Prisma's (node-postgres queues a
 * connection's queries), and a failure aborts the transaction, which Prisma then rolls back.
 *
 * Embedded database (PGlite) or any client not connected through `connectPostgres`: null, and
 * the caller stays on Prisma.
 */
import type { ClientBase, Pool } from "pg";
import type { PrismaClient } from "./generated/prisma/client";
import type { TenantTx } from "@/lib/tenancy/tenant-db";

/** Sends one statement with positional parameters; resolves to the number of rows it affected. */
export type RunStatement = (sql: string, params: readonly unknown[]) => Promise<number>;

type WithPid = ClientBase & { processID?: number | null };

const registries = new WeakMap<PrismaClient, Map<number, WithPid>>();

/** Called once per pool by connectPostgres: keeps its connections findable by backend pid. */
export function registerPoolConnections(prisma: PrismaClient, pool: Pool): void {
  const byPid = new Map<number, WithPid>();
  registries.set(prisma, byPid);
  pool.on("connect", (client: WithPid) => {
    const pid = client.processID;
    if (typeof pid !== "number") return;
    byPid.set(pid, client);
    client.once("end", () => {
      if (byPid.get(pid) === client) byPid.delete(pid);
    });
  });
}

/** Prisma's own path: right everywhere, slower for large parameters. */
export function prismaStatements(tx: TenantTx): RunStatement {
  return (sql, params) => tx.$executeRawUnsafe(sql, ...params);
}

/**
 * A statement runner on the transaction's own connection, or null where there is none to find
 * (then use `prismaStatements`).
 */
export async function transactionConnection(prisma: PrismaClient, tx: TenantTx): Promise<RunStatement | null> {
  const byPid = registries.get(prisma);
  if (!byPid || byPid.size === 0) return null;
  const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
  const client = row ? byPid.get(Number(row.pid)) : undefined;
  if (!client) return null;
  return async (sql, params) => {
    const result = await client.query(sql, params as unknown[]);
    return result.rowCount ?? 0;
  };
}
