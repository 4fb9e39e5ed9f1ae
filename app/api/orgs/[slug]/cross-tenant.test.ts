/**
 * The cross-tenant rule, for every organization route that takes an id: a member of organization
 * A who uses organization B's ids gets 404, whatever the method, and B's data does not change.
 * The routes are found on disk, so a route added later is covered without editing this test
 * (a new kind of id segment, or a body the route needs, makes it fail until described here).
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createTestOrganization } from "@/lib/testing/factories";
import { callRoute, createTestSession } from "@/lib/testing/route-client";
import { closeDb, useDbHandle } from "@/lib/db/client";
import { resetSettingsForTests } from "@/lib/config/settings";
import { registerCluster } from "@/lib/clusters/register-cluster";
import { ingestSnapshot } from "@/lib/ingest/ingest-snapshot";
import { sampleSnapshot } from "@/lib/ingest/testing/sample-snapshot";
import { runJobsUntilIdle } from "@/lib/jobs/job-runner";
import { createException } from "@/lib/exceptions/create-exception";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { findingsOf } from "@/lib/testing/snapshot-findings";

const ROOT = path.resolve(import.meta.dirname);
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
/** Segments that name catalog entries, not tenant data (their routes are checked for leaks below). */
const CATALOG_SEGMENTS = new Set(["checkId"]);
/** Query strings and bodies some routes need to get past validation to the lookup. */
const SAMPLES: Record<string, { query?: string; body?: unknown }> = {
  "GET clusters/[clusterId]/resources": { query: "kind=Deployment&namespace=shop&name=legacy-0" },
  "PATCH clusters/[clusterId]": { body: { name: "renamed-by-a" } },
};

interface RouteFile {
  /** Path below app/api/orgs/[slug], e.g. "clusters/[clusterId]/tokens". */
  route: string;
  segments: string[];
  file: string;
}

function findRoutes(dir: string, prefix = ""): RouteFile[] {
  const out: RouteFile[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findRoutes(full, prefix ? `${prefix}/${entry.name}` : entry.name));
    else if (entry.name === "route.ts" && prefix) out.push({ route: prefix, segments: [...prefix.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!), file: full });
  }
  return out;
}

let database: TestDatabase;
let a: TenantScope;
let b: TenantScope;
let session: string;
const bIds: Record<string, string> = {};

beforeAll(async () => {
  process.env.APP_URL = "http://localhost:3000";
  resetSettingsForTests();
  database = await createTestDatabase();
  useDbHandle({ prisma: database.prisma, close: async () => {} });
  a = await createTestOrganization(database.prisma);
  b = await createTestOrganization(database.prisma);
  session = await createTestSession(database.prisma, a.userId);
  // A has data of its own, so "empty" answers are not mistaken for isolation.
  const own = await registerCluster({ scope: a, input: { name: "a-cluster" } });
  await ingestSnapshot({ prisma: database.prisma, token: own.token.value, snapshot: sampleSnapshot() });
  const { cluster, token } = await registerCluster({ scope: b, input: { name: "b-cluster" } });
  const { snapshotId } = await ingestSnapshot({ prisma: database.prisma, token: token.value, snapshot: sampleSnapshot({ namespaces: ["shop", "b-secret"] }) });
  await runJobsUntilIdle(database.prisma);
  const exception = await createException({ scope: b, input: { clusterId: cluster.id, checkId: "privileged-container", reason: "B's accepted risk" } });
  await runJobsUntilIdle(database.prisma);
  const finding = await b.db.finding.findFirstOrThrow({ where: { ...(await findingsOf(b, snapshotId)), checkId: "run-as-root" } });
  Object.assign(bIds, { clusterId: cluster.id, tokenId: token.id, exceptionId: exception.id, findingId: finding.id.toString(), snapshotId });
});
afterAll(async () => {
  await closeDb();
  await database?.close();
});

async function bState() {
  return {
    clusters: await b.db.cluster.findMany({ where: { orgId: b.orgId }, orderBy: { id: "asc" } }),
    tokens: await b.db.agentToken.findMany({ where: { orgId: b.orgId }, orderBy: { id: "asc" } }),
    exceptions: await b.db.findingException.findMany({ where: { orgId: b.orgId }, orderBy: { id: "asc" } }),
    findings: await b.db.finding.count({ where: { orgId: b.orgId } }),
  };
}

describe("organization routes that take an id", () => {
  const routes = findRoutes(ROOT).filter((r) => r.segments.length > 0);

  it("are found on disk", () => {
    expect(routes.map((r) => r.route)).toEqual(expect.arrayContaining(["clusters/[clusterId]", "clusters/[clusterId]/tokens/[tokenId]", "exceptions/[exceptionId]", "findings/[findingId]"]));
  });

  it("answer 404 to a member of A using B's ids, on every method, and change nothing of B", async () => {
    const before = await bState();
    let calls = 0;
    for (const route of routes.filter((r) => r.segments.some((s) => !CATALOG_SEGMENTS.has(s)))) {
      const routeModule = (await import(route.file)) as Record<string, unknown>;
      for (const method of METHODS) {
        const handler = routeModule[method];
        if (typeof handler !== "function") continue;
        const params: Record<string, string> = { slug: a.membership.orgSlug };
        let routePath = route.route;
        for (const segment of route.segments) {
          const value = bIds[segment];
          expect(value, `no id of organization B for segment [${segment}] (route ${route.route}): add one in beforeAll`).toBeDefined();
          params[segment] = value!;
          routePath = routePath.replace(`[${segment}]`, value!);
        }
        const sample = SAMPLES[`${method} ${route.route}`] ?? {};
        const answer = await callRoute(handler as Parameters<typeof callRoute>[0], {
          method,
          path: `/api/orgs/${a.membership.orgSlug}/${routePath}${sample.query ? `?${sample.query}` : ""}`,
          params,
          sessionToken: session,
          body: sample.body,
        });
        expect({ route: route.route, method, status: answer.status }).toEqual({ route: route.route, method, status: 404 });
        calls++;
      }
    }
    expect(calls).toBeGreaterThanOrEqual(10);
    expect(await bState()).toEqual(before);
  });

  it("show none of B's findings on catalog routes (a check's page)", async () => {
    const routeModule = await import("./checks/[checkId]/route");
    const answer = await callRoute(routeModule.GET, { path: `/api/orgs/${a.membership.orgSlug}/checks/run-as-root`, params: { slug: a.membership.orgSlug, checkId: "run-as-root" }, sessionToken: session });
    expect(answer.status).toBe(200);
    const json = answer.json as { clusters: { name: string }[]; findings: { resource: { namespace: string | null } }[] };
    expect(json.clusters.map((c) => c.name)).toEqual(["a-cluster"]);
    expect(json.findings.some((f) => f.resource.namespace === "b-secret")).toBe(false);
  });
});
