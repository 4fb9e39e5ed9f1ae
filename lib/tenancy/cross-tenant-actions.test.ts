/**
 * Every server action that takes an id answers "not found" when a member of organization A
 * passes organization B's ids, and changes nothing of B's. The table below must list every
 * exported action under app/o/[slug]/ (the first test fails when one is added without a row).
 * Actions run in-process as A's owner (runAsUserForTests stands in for the request's cookies);
 * everything else is real: the wrappers, the domain functions, the database.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createTestOrganization } from "@/lib/testing/factories";
import { closeDb, useDbHandle } from "@/lib/db/client";
import { runAsUserForTests } from "@/lib/auth/acting-user-for-tests";
import { registerCluster } from "@/lib/clusters/register-cluster";
import { createException } from "@/lib/exceptions/create-exception";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import type { ActionResult } from "@/lib/http/server-action";

type AnyAction = (...args: never[]) => Promise<ActionResult<unknown>>;

let database: TestDatabase;
let a: TenantScope;
let b: TenantScope;
let bIds: { clusterId: string; tokenId: string; exceptionId: string };

const ACTION_FILES = ["app/o/[slug]/clusters/[clusterId]/settings/actions.ts", "app/o/[slug]/clusters/new/actions.ts", "app/o/[slug]/exceptions/actions.ts"];

/** For each action: how A calls it with B's ids (null: the action takes no id of an existing record). */
const CALLS: Record<string, ((slug: string) => unknown[]) | null> = {
  updateClusterAction: (slug) => [slug, bIds.clusterId, { name: "renamed-by-a" }],
  rotateTokenAction: (slug) => [slug, bIds.clusterId],
  revokeTokenAction: (slug) => [slug, bIds.clusterId, bIds.tokenId],
  deleteClusterAction: (slug) => [slug, bIds.clusterId, "b-prod"],
  createExceptionAction: (slug) => [slug, { clusterId: bIds.clusterId, checkId: "privileged-container", reason: "cross-tenant attempt" }],
  revokeExceptionAction: (slug) => [slug, bIds.exceptionId],
  registerClusterAction: null,
};

async function loadActions(): Promise<Map<string, AnyAction>> {
  const actions = new Map<string, AnyAction>();
  for (const file of ACTION_FILES) {
    const mod = (await import(path.resolve(file))) as Record<string, unknown>;
    for (const [name, value] of Object.entries(mod)) if (typeof value === "function") actions.set(name, value as AnyAction);
  }
  return actions;
}

beforeAll(async () => {
  database = await createTestDatabase();
  useDbHandle({ prisma: database.prisma, close: async () => {} });
  a = await createTestOrganization(database.prisma);
  b = await createTestOrganization(database.prisma);
  const registered = await registerCluster({ scope: b, input: { name: "b-prod" } });
  const exception = await createException({ scope: b, input: { checkId: "privileged-container", reason: "B's own accepted risk" } });
  bIds = { clusterId: registered.cluster.id, tokenId: registered.token.id, exceptionId: exception.id };
});

afterAll(async () => {
  await closeDb();
  await database?.close();
});

describe("server actions across organizations", () => {
  it("lists every action file and every exported action", async () => {
    const found = fs
      .readdirSync("app/o/[slug]", { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith("actions.ts"))
      .map((f) => path.join("app/o/[slug]", f))
      .sort();
    expect(found).toEqual([...ACTION_FILES].sort());
    expect([...(await loadActions()).keys()].sort()).toEqual(Object.keys(CALLS).sort());
  });

  it("answers not found for B's ids to A's owner, and leaves B's data as it was", async () => {
    const actions = await loadActions();
    const user = { id: a.userId, email: "owner-a@example.test", name: null };
    for (const [name, call] of Object.entries(CALLS)) {
      if (!call) continue;
      const result = await runAsUserForTests(user, () => (actions.get(name) as (...args: unknown[]) => Promise<ActionResult<unknown>>)(...call(a.membership.orgSlug)));
      expect(result, name).toMatchObject({ ok: false, error: { code: "not_found" } });
    }
    const cluster = await b.db.cluster.findFirst({ where: { id: bIds.clusterId } });
    expect(cluster?.name).toBe("b-prod");
    const tokens = await b.db.agentToken.findMany({ where: { clusterId: bIds.clusterId } });
    expect(tokens.map((t) => t.revokedAt)).toEqual([null]);
    expect((await b.db.findingException.findFirst({ where: { id: bIds.exceptionId } }))?.revokedAt).toBeNull();
    expect(await a.db.findingException.count({ where: { orgId: a.orgId } })).toBe(0);
  });

  it("answers not found when A's member names B's organization", async () => {
    const actions = await loadActions();
    const user = { id: a.userId, email: "owner-a@example.test", name: null };
    const result = await runAsUserForTests(user, () => (actions.get("registerClusterAction") as (...args: unknown[]) => Promise<ActionResult<unknown>>)(b.membership.orgSlug, { name: "planted" }));
    expect(result).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await b.db.cluster.count({ where: { orgId: b.orgId } })).toBe(1);
  });
});
