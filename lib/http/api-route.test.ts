import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createTestOrganization, createTestUser } from "@/lib/testing/factories";
import { callRoute, createTestSession } from "@/lib/testing/route-client";
import { closeDb, useDbHandle } from "@/lib/db/client";
import { resetSettingsForTests } from "@/lib/config/settings";
import * as orgsRoute from "@/app/api/orgs/route";
import * as orgRoute from "@/app/api/orgs/[slug]/route";

let database: TestDatabase;

beforeAll(async () => {
  process.env.APP_URL = "http://localhost:3000";
  resetSettingsForTests();
  database = await createTestDatabase();
  useDbHandle({ prisma: database.prisma, close: async () => {} });
});
afterAll(async () => {
  await closeDb();
  await database?.close();
});

describe("the API route wrapper", () => {
  it("answers 401 without a session, and treats a forged session cookie as none", async () => {
    expect((await callRoute(orgsRoute.GET, { path: "/api/orgs" })).status).toBe(401);
    const forged = await callRoute(orgsRoute.GET, { path: "/api/orgs", sessionToken: "00000000-0000-4000-8000-000000000000" });
    expect(forged.status).toBe(401);
    expect(forged.json).toMatchObject({ error: { code: "unauthenticated" } });
  });

  it("refuses a state-changing request without our Origin, and changes nothing", async () => {
    const user = await createTestUser(database.prisma);
    const session = await createTestSession(database.prisma, user.id);
    const body = { name: "Csrf Test", slug: `csrf-${user.id.slice(-6)}` };
    for (const origin of [null, "https://evil.example"]) {
      const response = await callRoute(orgsRoute.POST, { method: "POST", path: "/api/orgs", sessionToken: session, body, origin });
      expect(response.status).toBe(403);
      expect(response.json).toMatchObject({ error: { code: "csrf_failed" } });
    }
    const mine = await callRoute(orgsRoute.GET, { path: "/api/orgs", sessionToken: session });
    expect(mine.json).toEqual({ organizations: [] });
  });

  it("validates the body and names the field", async () => {
    const user = await createTestUser(database.prisma);
    const session = await createTestSession(database.prisma, user.id);
    const bad = await callRoute(orgsRoute.POST, { method: "POST", path: "/api/orgs", sessionToken: session, body: { name: "Good Name", slug: "Bad Slug!" } });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { code: "validation_failed", field: "body.slug" } });
    const notJson = await callRoute(orgsRoute.POST, { method: "POST", path: "/api/orgs", sessionToken: session, body: "{nope" });
    expect(notJson.status).toBe(400);
    expect(notJson.json).toMatchObject({ error: { code: "bad_request" } });
  });

  it("creates an organization, then answers 409 on the taken slug", async () => {
    const user = await createTestUser(database.prisma);
    const session = await createTestSession(database.prisma, user.id);
    const slug = `api-${user.id.slice(-8)}`;
    const created = await callRoute(orgsRoute.POST, { method: "POST", path: "/api/orgs", sessionToken: session, body: { name: "Api Org", slug } });
    expect(created.status).toBe(201);
    const again = await callRoute(orgsRoute.POST, { method: "POST", path: "/api/orgs", sessionToken: session, body: { name: "Api Org", slug } });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: { code: "conflict", field: "slug" } });
  });

  it("answers 404, never 403, for an organization one does not belong to", async () => {
    const a = await createTestOrganization(database.prisma);
    const b = await createTestOrganization(database.prisma);
    const session = await createTestSession(database.prisma, a.userId);
    const own = await callRoute(orgRoute.GET, { path: `/api/orgs/${a.membership.orgSlug}`, params: { slug: a.membership.orgSlug }, sessionToken: session });
    expect(own.status).toBe(200);
    const other = await callRoute(orgRoute.GET, { path: `/api/orgs/${b.membership.orgSlug}`, params: { slug: b.membership.orgSlug }, sessionToken: session });
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.json)).not.toContain(b.orgId);
  });
});
