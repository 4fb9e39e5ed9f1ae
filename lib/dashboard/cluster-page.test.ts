/**
 * The cluster page's loader against a real database (PostgreSQL with TEST_DATABASE_URL, else the
 * embedded one), with snapshots pushed through the real ingest routes and evaluated by the real
 * queue and engine: keyset pages, filters, totals, filter menus, what changed, the live-status
 * version, the cache following re-evaluation, and another organization seeing nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createTestOrganization } from "@/lib/testing/factories";
import { closeDb, useDbHandle } from "@/lib/db/client";
import { resetSettingsForTests } from "@/lib/config/settings";
import { AppError } from "@/lib/errors";
import { registerCluster } from "@/lib/clusters/register-cluster";
import { createException } from "@/lib/exceptions/create-exception";
import { runJobsUntilIdle } from "@/lib/jobs/job-runner";
import { packSnapshot } from "@/lib/ingest/pack-snapshot";
import { sampleSnapshot } from "@/lib/ingest/testing/sample-snapshot";
import { pushPacked } from "@/lib/ingest/testing/ingest-calls";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { loadClusterPage } from "./cluster-page";
import { getClusterStatus } from "./cluster-status";
import { readFindingsPage, snapshotFacets } from "./snapshot-findings";
import { findingsOf } from "@/lib/testing/snapshot-findings";

let database: TestDatabase;
let scope: TenantScope;
let clusterId: string;
let token: string;

const now = () => new Date();

async function push(options: Parameters<typeof sampleSnapshot>[0]) {
  const answer = await pushPacked(packSnapshot(sampleSnapshot(options)), token);
  expect(answer.status).toBeLessThan(300);
  await runJobsUntilIdle(database.prisma);
}

beforeAll(async () => {
  process.env.APP_URL = "http://localhost:3000";
  process.env.INGEST_RATE_LIMIT_PER_MINUTE = "10000";
  resetSettingsForTests();
  database = await createTestDatabase();
  useDbHandle({ prisma: database.prisma, close: async () => {} });
  scope = await createTestOrganization(database.prisma);
  const registered = await registerCluster({ scope, input: { name: "page-test" } });
  clusterId = registered.cluster.id;
  token = registered.token.value;
});
afterAll(async () => {
  await closeDb();
  await database?.close();
});

describe("loadClusterPage", () => {
  it("before the first snapshot: the cluster, no findings, and the version the status poll reports", async () => {
    const page = await loadClusterPage({ scope, clusterId, state: { page: 1 }, now: now() });
    expect(page.cluster.name).toBe("page-test");
    expect(page.cluster.latest).toBeNull();
    expect(page.findings).toBeNull();
    expect(page.statusVersion).toBe((await getClusterStatus({ scope, clusterId })).version);
  });

  it("pages through every finding once, in severity then engine order, and filters with exact totals", async () => {
    await push({ namespaces: ["shop", "web"], insecureDeployments: 3, hardenedDeployments: 1, collectedAt: new Date(Date.now() - 3600_000).toISOString() });
    const page = await loadClusterPage({ scope, clusterId, state: { page: 1 }, now: now() });
    const snapshotId = page.cluster.latest!.snapshotId;
    const stored = await scope.db.finding.findMany({ where: await findingsOf(scope, snapshotId), orderBy: [{ severity: "asc" }, { id: "asc" }], select: { id: true, namespace: true } });
    expect(stored.length).toBeGreaterThan(6);
    expect(page.findings!.total).toBe(stored.length);
    expect(page.statusVersion).toBe((await getClusterStatus({ scope, clusterId })).version);

    // Keyset pages of 4: every finding exactly once, in the table's order.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const next = await scope.transaction((tx) => readFindingsPage(tx, page.version!.position, { page: 1, ...(cursor ? { cursor } : {}) }, 4));
      expect(next.findings.length).toBeLessThanOrEqual(4);
      seen.push(...next.findings.map((f) => f.id));
      cursor = next.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(stored.map((f) => f.id.toString()));

    const shop = await loadClusterPage({ scope, clusterId, state: { page: 1, namespace: "shop" }, now: now() });
    expect(shop.findings!.total).toBe(stored.filter((f) => f.namespace === "shop").length);
    expect(shop.findings!.findings.every((f) => f.resource.namespace === "shop")).toBe(true);
    const privileged = await loadClusterPage({ scope, clusterId, state: { page: 1, check: "privileged-container", q: "legacy-1" }, now: now() });
    expect(privileged.findings!.findings.map((f) => `${f.resource.namespace}/${f.resource.name}:${f.path}`).sort()).toEqual([
      "shop/legacy-1:spec.template.spec.containers[0].securityContext.privileged",
      "web/legacy-1:spec.template.spec.containers[0].securityContext.privileged",
    ]);

    // The filter menus add up to the total; the layers and the first snapshot's "what changed".
    const facets = await snapshotFacets(scope, page.version!);
    expect(facets.namespaces.reduce((n, f) => n + f.count, 0)).toBe(stored.length);
    expect(facets.namespaces.map((n) => n.value)).toEqual(expect.arrayContaining(["shop", "web"]));
    expect(facets.checks.find((c) => c.id === "privileged-container")).toMatchObject({ title: "No privileged containers", count: 6 });
    expect(page.cluster.layers.map((l) => l.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(page.changes).toMatchObject({ previous: null, resolvedCount: 0 });
    expect(page.series).toHaveLength(1);
  });

  it("compares with the previous snapshot: new and resolved findings by fingerprint, and the score before", async () => {
    const before = await loadClusterPage({ scope, clusterId, state: { page: 1 }, now: now() });
    const previousId = before.cluster.latest!.snapshotId;
    // One insecure Deployment fixed in each namespace, and a new namespace with one.
    await push({ namespaces: ["shop", "web", "batch"], insecureDeployments: 2, hardenedDeployments: 1 });
    const after = await loadClusterPage({ scope, clusterId, state: { page: 1 }, now: now() });
    const latestId = after.cluster.latest!.snapshotId;
    expect(latestId).not.toBe(previousId);
    const fingerprints = async (id: string) => new Set((await scope.db.finding.findMany({ where: await findingsOf(scope, id), select: { fingerprint: true } })).map((f) => f.fingerprint));
    const [old, current] = [await fingerprints(previousId), await fingerprints(latestId)];
    const resolved = [...old].filter((f) => !current.has(f)).length;
    const added = [...current].filter((f) => !old.has(f)).length;
    expect(resolved).toBeGreaterThan(0);
    expect(after.changes).toMatchObject({ previous: { snapshotId: previousId, score: before.cluster.latest!.score }, resolvedCount: resolved, newCount: added });
    expect(after.changes!.resolvedFindings.length).toBe(Math.min(5, resolved));
    expect(after.changes!.resolvedFindings.every((f) => f.resource.name === "legacy-2")).toBe(true);
    expect(after.changes!.newFindings.every((f) => f.resource.namespace === "batch" && f.isNew)).toBe(true);
    expect(after.series.map((p) => p.score)).toEqual([before.cluster.latest!.score, after.cluster.latest!.score]);
  });

  it("follows a re-evaluation: the version changes and the cached totals and menus are not reused", async () => {
    const before = await loadClusterPage({ scope, clusterId, state: { page: 1, status: "EXCEPTED" }, now: now() });
    expect(before.findings!.total).toBe(0);
    await createException({ scope, input: { clusterId, checkId: "privileged-container", reason: "isolated node pool for these" } });
    await runJobsUntilIdle(database.prisma);
    const after = await loadClusterPage({ scope, clusterId, state: { page: 1, status: "EXCEPTED" }, now: now() });
    expect(after.statusVersion).not.toBe(before.statusVersion);
    expect(after.statusVersion).toBe((await getClusterStatus({ scope, clusterId })).version);
    expect(after.findings!.total).toBe(6);
    expect(after.findings!.findings.every((f) => f.status === "EXCEPTED" && f.exceptionId !== null)).toBe(true);
    expect(after.cluster.latest!.score).toBeGreaterThan(before.cluster.latest!.score);
  });

  it("another organization's member gets not found", async () => {
    const stranger = await createTestOrganization(database.prisma);
    await expect(loadClusterPage({ scope: stranger, clusterId, state: { page: 1 }, now: now() })).rejects.toSatisfy((e) => e instanceof AppError && e.code === "not_found");
    await expect(getClusterStatus({ scope: stranger, clusterId })).rejects.toSatisfy((e) => e instanceof AppError && e.code === "not_found");
  });
});
