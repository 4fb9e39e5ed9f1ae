import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createTestOrganization, createTestUser } from "@/lib/testing/factories";
import { resolveMembership } from "./resolve-membership";
import { inTenantTransaction } from "./tenant-db";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe("row-level security", () => {
  it("shows no tenant rows to a query without an organization context", async () => {
    const { prisma } = database;
    const scope = await createTestOrganization(prisma);
    await scope.db.cluster.create({ data: { orgId: scope.orgId, name: "prod-eu" } });
    expect(await scope.db.cluster.count()).toBe(1);

    // The bare client has no app.org_id: every tenant table looks empty, even though rows exist.
    expect(await prisma.cluster.count()).toBe(0);
    expect(await prisma.organization.count()).toBe(0);
    expect(await prisma.membership.count()).toBe(0);
    expect(await prisma.auditLog.count()).toBe(0);
  });

  it("refuses to write a row into another organization's context", async () => {
    const { prisma } = database;
    const a = await createTestOrganization(prisma);
    const b = await createTestOrganization(prisma);
    await expect(a.db.cluster.create({ data: { orgId: b.orgId, name: "sneaky" } })).rejects.toThrow(/row-level security/i);
  });

  it("hides organization B's rows from A's context even when queried by id", async () => {
    const { prisma } = database;
    const a = await createTestOrganization(prisma);
    const b = await createTestOrganization(prisma);
    const cluster = await b.db.cluster.create({ data: { orgId: b.orgId, name: "secret" } });
    // No orgId filter at all: RLS alone must hide it.
    expect(await a.db.cluster.findUnique({ where: { id: cluster.id } })).toBeNull();
    const updated = await inTenantTransaction(prisma, a.context, (tx) =>
      tx.cluster.updateMany({ where: { id: cluster.id }, data: { name: "pwned" } }),
    );
    expect(updated.count).toBe(0);
    expect((await b.db.cluster.findUnique({ where: { id: cluster.id } }))?.name).toBe("secret");
  });

  it("keeps the audit log append-only", async () => {
    const { prisma } = database;
    const scope = await createTestOrganization(prisma);
    const [event] = await scope.db.auditLog.findMany({ where: { orgId: scope.orgId } });
    expect(event?.action).toBe("organization.created");
    await expect(
      inTenantTransaction(prisma, scope.context, (tx) => tx.auditLog.update({ where: { id: event!.id }, data: { action: "forged" } })),
    ).rejects.toThrow();
    await expect(
      inTenantTransaction(prisma, scope.context, (tx) => tx.auditLog.deleteMany({ where: { orgId: scope.orgId } })),
    ).rejects.toThrow();
  });
});

describe("membership resolution", () => {
  it("reads another organization as not found, not forbidden", async () => {
    const { prisma } = database;
    const a = await createTestOrganization(prisma);
    const b = await createTestOrganization(prisma);
    await expect(resolveMembership(prisma, a.userId, b.membership.orgSlug)).rejects.toMatchObject({ code: "not_found" });
    await expect(resolveMembership(prisma, a.userId, "no-such-org")).rejects.toMatchObject({ code: "not_found" });
    const own = await resolveMembership(prisma, a.userId, a.membership.orgSlug);
    expect(own).toMatchObject({ orgId: a.orgId, role: "OWNER" });
  });

  it("rejects a taken slug with a conflict naming the field", async () => {
    const { prisma } = database;
    const a = await createTestOrganization(prisma);
    const other = await createTestUser(prisma);
    await expect(createTestOrganization(prisma, { ownerId: other.id, slug: a.membership.orgSlug })).rejects.toMatchObject({
      code: "conflict",
      details: { field: "slug" },
    });
  });
});
