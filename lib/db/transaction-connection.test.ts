/**
 * The transaction's own connection, on the real database: what is sent on it belongs to that
 * transaction (seen by it, rolled back with it, under its tenant context and row-level
 * security), and two transactions at once each get their own. The embedded database has none.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createTestOrganization } from "@/lib/testing/factories";
import { inTenantTransaction, type TenantScope } from "@/lib/tenancy/tenant-db";
import { transactionConnection } from "./transaction-connection";

let database: TestDatabase;
let scope: TenantScope;
let other: TenantScope;
beforeAll(async () => {
  database = await createTestDatabase();
  scope = await createTestOrganization(database.prisma);
  other = await createTestOrganization(database.prisma);
});
afterAll(async () => database?.close());

const INSERT = `INSERT INTO "Finding" ("orgId", "clusterId", "snapshotId", "firstSeq", "endSeq", "checkId", layer, severity, status, fingerprint, "apiVersion", kind, name, message, "contentHash")
VALUES ($1, 'c', $2::uuid, 0, 0, 'run-as-root', 1, 'HIGH', 'FAIL', 'fp', 'v1', 'Pod', 'p', 'm', 'h')`;

describe.runIf(process.env.TEST_DATABASE_URL)("on PostgreSQL", () => {
  it("runs statements inside the transaction: seen by it, rolled back with it", async () => {
    const snapshotId = crypto.randomUUID();
    const rollback = new Error("roll back");
    const attempt = inTenantTransaction(database.prisma, { orgId: scope.orgId, userId: null }, async (tx) => {
      const connection = await transactionConnection(database.prisma, tx);
      expect(connection).not.toBeNull();
      expect(await connection!.run(INSERT, [scope.orgId, snapshotId])).toBe(1);
      connection!.release();
      expect(await tx.finding.count({ where: { snapshotId } })).toBe(1);
      throw rollback;
    });
    await expect(attempt).rejects.toBe(rollback);
    expect(await scope.db.finding.count({ where: { snapshotId } })).toBe(0);
  });

  it("keeps the transaction's tenant context: another organization's row is refused by row-level security", async () => {
    const snapshotId = crypto.randomUUID();
    const attempt = inTenantTransaction(database.prisma, { orgId: scope.orgId, userId: null }, async (tx) => {
      const connection = (await transactionConnection(database.prisma, tx))!;
      try {
        return await connection.run(INSERT, [other.orgId, snapshotId]);
      } finally {
        connection.release();
      }
    });
    await expect(attempt).rejects.toThrow(/row-level security/);
    expect(await other.db.finding.count({ where: { snapshotId } })).toBe(0);
  });

  it("gives two transactions at once two connections, each writing only into its own", async () => {
    const ids = [crypto.randomUUID(), crypto.randomUUID()];
    // Both transactions stay open until both have written and looked: nothing is committed before.
    const barrier = () => {
      let arrived = 0;
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      return async () => {
        if (++arrived === 2) open();
        await opened;
      };
    };
    const bothOpen = barrier();
    const bothWrote = barrier();
    const bothLooked = barrier();
    await Promise.all(
      ids.map((snapshotId) =>
        inTenantTransaction(database.prisma, { orgId: scope.orgId, userId: null }, async (tx) => {
          const connection = (await transactionConnection(database.prisma, tx))!;
          await bothOpen();
          await connection.run(INSERT, [scope.orgId, snapshotId]);
          connection.release();
          await bothWrote();
          const seen = await tx.finding.findMany({ where: { snapshotId: { in: ids } }, select: { snapshotId: true } });
          await bothLooked();
          expect(seen.map((r) => r.snapshotId)).toEqual([snapshotId]);
        }),
      ),
    );
    expect(await scope.db.finding.count({ where: { snapshotId: { in: ids } } })).toBe(2);
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)("pipelined on PostgreSQL", () => {
  it("sends statements without waiting for answers, in order, and the transaction goes on through Prisma after release", async () => {
    const snapshotId = crypto.randomUUID();
    const count = await inTenantTransaction(database.prisma, { orgId: scope.orgId, userId: null }, async (tx) => {
      const connection = (await transactionConnection(database.prisma, tx))!;
      // All on the wire at once; each waits only for its own answer.
      const sent = Array.from({ length: 8 }, (_, i) => connection.run(`${INSERT.replace("'p'", `'p${i}'`)}`, [scope.orgId, snapshotId]));
      expect(await Promise.all(sent)).toEqual(Array(8).fill(1));
      connection.release();
      const names = await tx.finding.findMany({ where: { snapshotId }, orderBy: { id: "asc" }, select: { name: true } });
      expect(names.map((n) => n.name)).toEqual(Array.from({ length: 8 }, (_, i) => `p${i}`));
      return tx.finding.count({ where: { snapshotId } });
    });
    expect(count).toBe(8);
    expect(await scope.db.finding.count({ where: { snapshotId } })).toBe(8);
  });

  it("fails the statement that fails and every one behind it, and the transaction leaves nothing", async () => {
    const snapshotId = crypto.randomUUID();
    const outcomes: PromiseSettledResult<number>[] = [];
    const attempt = inTenantTransaction(database.prisma, { orgId: scope.orgId, userId: null }, async (tx) => {
      const connection = (await transactionConnection(database.prisma, tx))!;
      const sent = [0, 1, 2, 3].map((i) => connection.run(INSERT, [i === 1 ? other.orgId : scope.orgId, snapshotId]));
      outcomes.push(...(await Promise.allSettled(sent)));
      connection.release();
      const failed = outcomes.find((o) => o.status === "rejected");
      throw failed ? (failed as PromiseRejectedResult).reason : new Error("nothing failed");
    });
    await expect(attempt).rejects.toThrow(/row-level security/);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "rejected", "rejected"]);
    expect(String((outcomes[2] as PromiseRejectedResult).reason)).toMatch(/current transaction is aborted/);
    expect(await scope.db.finding.count({ where: { snapshotId } })).toBe(0);
    // The pool's connection is healthy afterwards.
    expect(await scope.db.finding.count({ where: { snapshotId } })).toBe(0);
  });
});

describe.runIf(!process.env.TEST_DATABASE_URL)("on the embedded database", () => {
  it("finds no connection, so callers stay on Prisma", async () => {
    const run = await inTenantTransaction(database.prisma, { orgId: scope.orgId, userId: null }, (tx) => transactionConnection(database.prisma, tx));
    expect(run).toBeNull();
  });
});
