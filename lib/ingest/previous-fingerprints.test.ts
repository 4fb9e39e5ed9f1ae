/**
 * The previous snapshot's fingerprints, read while a new snapshot uploads, against the real
 * database (PostgreSQL with TEST_DATABASE_URL, else the embedded one): the set is exactly the
 * stored one, is handed over once and only for the snapshot asked for, and never for another
 * organization.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createTestOrganization } from "@/lib/testing/factories";
import { closeDb, useDbHandle } from "@/lib/db/client";
import { resetSettingsForTests } from "@/lib/config/settings";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { registerCluster } from "@/lib/clusters/register-cluster";
import { runJobsUntilIdle } from "@/lib/jobs/job-runner";
import { ingestSnapshot } from "./ingest-snapshot";
import { sampleSnapshot } from "./testing/sample-snapshot";
import { FingerprintPrefetch } from "./previous-fingerprints";

let database: TestDatabase;
let scope: TenantScope;
let clusterId: string;
let latestId: string;
let stored: Set<string>;

beforeAll(async () => {
  process.env.APP_URL = "http://localhost:3000";
  resetSettingsForTests();
  database = await createTestDatabase();
  useDbHandle({ prisma: database.prisma, close: async () => {} });
  scope = await createTestOrganization(database.prisma);
  const { cluster, token } = await registerCluster({ scope, input: { name: "prod" } });
  clusterId = cluster.id;
  latestId = (await ingestSnapshot({ prisma: database.prisma, token: token.value, snapshot: sampleSnapshot({ namespaces: ["shop", "pay"], insecureDeployments: 2 }) })).snapshotId;
  await runJobsUntilIdle(database.prisma);
  stored = new Set((await scope.db.finding.findMany({ where: { snapshotId: latestId }, select: { fingerprint: true } })).map((f) => f.fingerprint));
});
afterAll(async () => {
  await closeDb();
  await database?.close();
});

describe("fingerprints read ahead", () => {
  it("are the latest snapshot's stored fingerprints, handed over once", async () => {
    const prefetch = new FingerprintPrefetch();
    prefetch.prefetch(database.prisma, scope.orgId, clusterId);
    const taken = await prefetch.take(scope.orgId, clusterId, latestId);
    expect(stored.size).toBeGreaterThan(5);
    expect(taken).toEqual(stored);
    expect(await prefetch.take(scope.orgId, clusterId, latestId)).toBeNull();
  });

  it("are not handed over for another snapshot, once expired, or to another organization", async () => {
    let clock = 0;
    const prefetch = new FingerprintPrefetch(32, 1000, () => clock);
    prefetch.prefetch(database.prisma, scope.orgId, clusterId);
    expect(await prefetch.take(scope.orgId, clusterId, crypto.randomUUID())).toBeNull();

    prefetch.prefetch(database.prisma, scope.orgId, clusterId);
    clock = 1001;
    expect(await prefetch.take(scope.orgId, clusterId, latestId)).toBeNull();

    // Organization B's agent cannot name A's cluster: row-level security finds no cluster, so nothing is read.
    const other = await createTestOrganization(database.prisma);
    clock = 0;
    prefetch.prefetch(database.prisma, other.orgId, clusterId);
    expect(await prefetch.take(other.orgId, clusterId, latestId)).toBeNull();
  });

  it("are null for a cluster without a snapshot, and a failed read is a miss, not an error", async () => {
    const prefetch = new FingerprintPrefetch();
    const fresh = await registerCluster({ scope, input: { name: "empty" } });
    prefetch.prefetch(database.prisma, scope.orgId, fresh.cluster.id);
    expect(await prefetch.take(scope.orgId, fresh.cluster.id, latestId)).toBeNull();
    prefetch.prefetch(database.prisma, "not-a-uuid-organization", "not-a-uuid");
    expect(await prefetch.take("not-a-uuid-organization", "not-a-uuid", latestId)).toBeNull();
  });

  it("are read once while a read of the cluster's runs (chunks arriving together), and again once it ended", async () => {
    const prefetch = new FingerprintPrefetch();
    expect(prefetch.prefetch(database.prisma, scope.orgId, clusterId)).toBe(true);
    expect(prefetch.prefetch(database.prisma, scope.orgId, clusterId)).toBe(false);
    expect(prefetch.size).toBe(1);
    expect(await prefetch.take(scope.orgId, clusterId, latestId)).toEqual(stored);
    // A read that ended and was never taken (a first snapshot's: nothing to diff against) does not block the next.
    const fresh = await registerCluster({ scope, input: { name: "first-of-its-name" } });
    expect(prefetch.prefetch(database.prisma, scope.orgId, fresh.cluster.id)).toBe(true);
    // While it runs, asking again adds nothing; once it ended, asking again starts a new read.
    let started = false;
    for (let i = 0; i < 200 && !started; i++) {
      started = prefetch.prefetch(database.prisma, scope.orgId, fresh.cluster.id);
      if (!started) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(started).toBe(true);
    expect(prefetch.size).toBe(1);
  });

  it("keep at most the configured number of clusters, the oldest out first", async () => {
    const prefetch = new FingerprintPrefetch(2);
    for (const id of ["a", "b", "c"]) prefetch.prefetch(database.prisma, scope.orgId, id);
    expect(prefetch.size).toBe(2);
    prefetch.prefetch(database.prisma, scope.orgId, clusterId);
    expect(await prefetch.take(scope.orgId, clusterId, latestId)).toEqual(stored);
  });
});
