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

const INSERT = `INSERT INTO "Finding" ("orgId", "clusterId", "snapshotId", "checkId", layer, severity, status, fingerprint, "apiVersion", kind, name, message)
VALUES ($1, 'c', $2::uuid, 'run-as-root', 1, 'HIGH', 'FAIL', 'fp', 'v1', 'Pod', 'p', 'm')`;

describe.runIf(process.env.TEST_DATABASE_URL)("on PostgreSQL", () => {
  it("runs statements inside the transaction: seen by it, rolled back with it", async () => {
    const snapshotId = crypto.randomUUID();
    const rollback = new Error("roll back");
    const attempt = inTenantTransaction(database.prisma, { orgId: scope.orgId, userId: null }, async (tx) => {
      const run = await transactionConnection(database.prisma, tx);
      expect(run).not.toBeNull();
      expect(await run!(INSERT, [scope.orgId, snapshotId])).toBe(1);
      expect(await tx.finding.count({ where: { snapshotId } })).toBe(1);
      throw rollback;
    });
    await expect(attempt).rejects.toBe(rollback);
    expect(await scope.db.finding.count({ where: { snapshotId } })).toBe(0);
  });

  it("keeps the transaction's tenant context: another organization's row is refused by row-level security", async () => {
    const snapshotId = crypto.randomUUID();
    const attempt = inTenantTransaction(database.prisma, { orgId: scope.orgId, userId: null }, async (tx) => {
      const run = (await transactionConnection(database.prisma, tx))!;
      return run(INSERT, [other.orgId, snapshotId]);
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
          const run = (await transactionConnection(database.prisma, tx))!;
          await bothOpen();
          await run(INSERT, [scope.orgId, snapshotId]);
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

describe.runIf(!process.env.TEST_DATABASE_URL)("on the embedded database", () => {
  it("finds no connection, so callers stay on Prisma", async () => {
    const run = await inTenantTransaction(database.prisma, { orgId: scope.orgId, userId: null }, (tx) => transactionConnection(database.prisma, tx));
    expect(run).toBeNull();
  });
});
