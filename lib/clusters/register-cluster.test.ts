import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createTestOrganization, createTestUser } from "@/lib/testing/factories";
import { TenantScope } from "@/lib/tenancy/tenant-db";
import { sha256Hex } from "@/lib/security/hash-token";
import { registerCluster } from "./register-cluster";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

describe("registerCluster", () => {
  it("stores only the token's hash and visible prefix, and audits the registration", async () => {
    const scope = await createTestOrganization(database.prisma);
    const { cluster, token } = await registerCluster({ scope, input: { name: "prod-eu-1", environment: "production" } });
    expect(token.value).toMatch(/^rpa_[A-Za-z0-9_-]{43}$/);
    const stored = await scope.db.agentToken.findFirstOrThrow({ where: { clusterId: cluster.id } });
    expect(stored.tokenHash).toBe(sha256Hex(token.value));
    expect(stored.prefix).toBe(token.value.slice(0, 12));
    expect(JSON.stringify(stored)).not.toContain(token.value);
    const audit = await scope.db.auditLog.findMany({ where: { orgId: scope.orgId, action: "cluster.registered" } });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit[0]!.metadata)).not.toContain(token.value);
  });

  it("rejects a duplicate name with a conflict on the field and writes nothing", async () => {
    const scope = await createTestOrganization(database.prisma);
    await registerCluster({ scope, input: { name: "staging" } });
    await expect(registerCluster({ scope, input: { name: "staging" } })).rejects.toMatchObject({ code: "conflict", details: { field: "name" } });
    expect(await scope.db.agentToken.count({ where: { orgId: scope.orgId } })).toBe(1);
  });

  it("refuses members without the permission", async () => {
    const owner = await createTestOrganization(database.prisma);
    const viewer = await createTestUser(database.prisma);
    await owner.db.membership.create({ data: { orgId: owner.orgId, userId: viewer.id, role: "VIEWER" } });
    const viewerScope = new TenantScope(database.prisma, { ...owner.membership, userId: viewer.id, role: "VIEWER" });
    await expect(registerCluster({ scope: viewerScope, input: { name: "nope" } })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("validates the name", async () => {
    const scope = await createTestOrganization(database.prisma);
    await expect(registerCluster({ scope, input: { name: "Prod EU!" } })).rejects.toThrow(/lowercase/);
  });
});
