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
/** node-postgres 8.23's pipeline mode: a plain switch, safe to flip while the connection is idle. */
type PipelinableClient = WithPid & { pipeline?: boolean };

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
  // A connection goes back to the pool unpipelined, whatever happened to its transaction.
  pool.on("release", (_error: unknown, client: PipelinableClient) => {
    client.pipeline = false;
  });
}

/** Prisma's own path: right everywhere, slower for large parameters. */
export function prismaStatements(tx: TenantTx): RunStatement {
  return (sql, params) => tx.$executeRawUnsafe(sql, ...params);
}

/** Statements on a transaction's own connection, pipelined until released. */
export interface TransactionConnection {
  /** Each statement goes on the wire at once, behind those still running: the database never waits for Node between them. */
  run: RunStatement;
  /** Ends pipelining. Call once every statement given to `run` has settled, before the transaction's next query. */
  release(): void;
}

/**
 * The transaction's own connection in node-postgres' pipeline mode, or null where there is none
 * to find (then use `prismaStatements`). Pipelined, a statement is written as soon as it is
 * given, so PostgreSQL starts the next batch the moment it finishes one, even while Node is busy
 * (without it, node-postgres sends the next only after Node has read the previous answer).
 * Prisma sends nothing on the connection meanwhile: the transaction's code is awaiting these.
 */
export async function transactionConnection(prisma: PrismaClient, tx: TenantTx): Promise<TransactionConnection | null> {
  const byPid = registries.get(prisma);
  if (!byPid || byPid.size === 0) return null;
  const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
  const client = (row ? byPid.get(Number(row.pid)) : undefined) as PipelinableClient | undefined;
  if (!client) return null;
  client.pipeline = true;
  return {
    run: async (sql, params) => {
      const result = await client.query(sql, params as unknown[]);
      return result.rowCount ?? 0;
    },
    release: () => {
      client.pipeline = false;
    },
  };
}
