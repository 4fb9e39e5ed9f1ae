/**
 * A node-postgres Pool look-alike over a Prisma client, so graphile-worker runs unchanged on the
 * embedded database (PGlite is one in-process session with no pg wire protocol) and in tests.
 * Each query is one Prisma raw query (autocommit); int8 and numeric come back as strings, as
 * pg returns them. LISTEN is accepted and ignored: nothing notifies across this adapter, so the
 * worker polls (its pollInterval). graphile-worker issues no multi-statement transaction at run
 * time when its schema is current (migrations are ours), which is what makes this sound.
 */
import { EventEmitter } from "node:events";
import type { Pool } from "pg";
import { Prisma, type PrismaClient } from "@/lib/db/generated/prisma/client";

type QueryConfig = { text: string; values?: unknown[] };
type QueryResult = { rows: Record<string, unknown>[]; rowCount: number; command: string; fields: never[] };

function normalize(value: unknown): unknown {
  if (typeof value === "bigint" || value instanceof Prisma.Decimal) return value.toString();
  return value;
}

class PrismaPgClient extends EventEmitter {
  constructor(private readonly prisma: PrismaClient) {
    super();
  }

  async query(config: string | QueryConfig, values?: unknown[]): Promise<QueryResult> {
    const text = typeof config === "string" ? config : config.text;
    const params = (typeof config === "string" ? values : (config.values ?? values)) ?? [];
    if (/^\s*(UN)?LISTEN\s/i.test(text)) return { rows: [], rowCount: 0, command: "LISTEN", fields: [] };
    const rows = await this.prisma.$queryRawUnsafe<Record<string, unknown>[]>(text, ...params);
    for (const row of rows) for (const key of Object.keys(row)) row[key] = normalize(row[key]);
    return { rows, rowCount: rows.length, command: "SELECT", fields: [] };
  }

  release(): void {}
}

class PrismaPgPool extends EventEmitter {
  readonly options: { max: number };
  private ended = false;

  constructor(private readonly prisma: PrismaClient, max: number) {
    super();
    this.options = { max };
  }

  connect(): Promise<PrismaPgClient>;
  connect(callback: (error: Error | null, client?: PrismaPgClient, release?: () => void) => void): void;
  connect(callback?: (error: Error | null, client?: PrismaPgClient, release?: () => void) => void): Promise<PrismaPgClient> | void {
    const client = new PrismaPgClient(this.prisma);
    this.emit("connect", client);
    if (!callback) return this.ended ? Promise.reject(new Error("pool ended")) : Promise.resolve(client);
    queueMicrotask(() => (this.ended ? callback(new Error("pool ended")) : callback(null, client, () => client.release())));
  }

  query(config: string | QueryConfig, values?: unknown[]): Promise<QueryResult> {
    return new PrismaPgClient(this.prisma).query(config, values);
  }

  async end(): Promise<void> {
    this.ended = true;
  }
}

export function prismaPgPool(prisma: PrismaClient, options: { max?: number } = {}): Pool {
  return new PrismaPgPool(prisma, options.max ?? 4) as unknown as Pool;
}
