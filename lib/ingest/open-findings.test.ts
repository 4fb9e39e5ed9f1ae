/**
 * The cluster's open finding rows, read while a new snapshot uploads, against the real database
 * (PostgreSQL with TEST_DATABASE_URL, else the embedded one): exactly the latest snapshot's rows,
 * handed over once and only for the head (and its evaluation) asked for, never for another
 * organization; and how a new evaluation's findings take them.
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
import { OpenFindings, OpenFindingsPrefetch, type Head } from "./open-findings";
import { findingsOf } from "@/lib/testing/snapshot-findings";

let database: TestDatabase;
let scope: TenantScope;
let clusterId: string;
let latestId: string;
let head: Head;
let stored: Set<string>;
const fingerprints = (open: OpenFindings | null) => (open ? new Set(open) : null);

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
  stored = new Set((await scope.db.finding.findMany({ where: await findingsOf(scope, latestId), select: { fingerprint: true } })).map((f) => f.fingerprint));
  head = { id: latestId, evaluationCount: 1 };
});
afterAll(async () => {
  await closeDb();
  await database?.close();
});

describe("open rows read ahead", () => {
  it("are the latest snapshot's stored fingerprints, handed over once", async () => {
    const prefetch = new OpenFindingsPrefetch();
    prefetch.prefetch(database.prisma, scope.orgId, clusterId);
    const taken = await prefetch.take(scope.orgId, clusterId, head);
    expect(stored.size).toBeGreaterThan(5);
    expect(fingerprints(taken)).toEqual(stored);
    expect(taken!.size).toBe(await scope.db.finding.count({ where: { clusterId, endSeq: null } }));
    expect(await prefetch.take(scope.orgId, clusterId, head)).toBeNull();
  });

  it("are not handed over for another snapshot, once expired, or to another organization", async () => {
    let clock = 0;
    const prefetch = new OpenFindingsPrefetch(32, 1000, () => clock);
    prefetch.prefetch(database.prisma, scope.orgId, clusterId);
    expect(await prefetch.take(scope.orgId, clusterId, { id: crypto.randomUUID(), evaluationCount: 1 })).toBeNull();
    // Evaluated again since the read (an exception changed the rows): not handed over.
    prefetch.prefetch(database.prisma, scope.orgId, clusterId);
    expect(await prefetch.take(scope.orgId, clusterId, { id: latestId, evaluationCount: 2 })).toBeNull();

    prefetch.prefetch(database.prisma, scope.orgId, clusterId);
    clock = 1001;
    expect(await prefetch.take(scope.orgId, clusterId, head)).toBeNull();

    // Organization B's agent cannot name A's cluster: row-level security finds no cluster, so nothing is read.
    const other = await createTestOrganization(database.prisma);
    clock = 0;
    prefetch.prefetch(database.prisma, other.orgId, clusterId);
    expect(await prefetch.take(other.orgId, clusterId, head)).toBeNull();
  });

  it("are null for a cluster without a snapshot, and a failed read is a miss, not an error", async () => {
    const prefetch = new OpenFindingsPrefetch();
    const fresh = await registerCluster({ scope, input: { name: "empty" } });
    prefetch.prefetch(database.prisma, scope.orgId, fresh.cluster.id);
    expect(await prefetch.take(scope.orgId, fresh.cluster.id, head)).toBeNull();
    prefetch.prefetch(database.prisma, "not-a-uuid-organization", "not-a-uuid");
    expect(await prefetch.take("not-a-uuid-organization", "not-a-uuid", head)).toBeNull();
  });

  it("are read once while a read of the cluster's runs (chunks arriving together), and again once it ended", async () => {
    const prefetch = new OpenFindingsPrefetch();
    expect(prefetch.prefetch(database.prisma, scope.orgId, clusterId)).toBe(true);
    expect(prefetch.prefetch(database.prisma, scope.orgId, clusterId)).toBe(false);
    expect(prefetch.size).toBe(1);
    expect(fingerprints(await prefetch.take(scope.orgId, clusterId, head))).toEqual(stored);
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
    const prefetch = new OpenFindingsPrefetch(2);
    for (const id of ["a", "b", "c"]) prefetch.prefetch(database.prisma, scope.orgId, id);
    expect(prefetch.size).toBe(2);
    prefetch.prefetch(database.prisma, scope.orgId, clusterId);
    expect(fingerprints(await prefetch.take(scope.orgId, clusterId, head))).toEqual(stored);
  });
});

describe("a new evaluation's findings taking open rows", () => {
  const open = () =>
    OpenFindings.fromText(
      [
        ["1", "fp-a", "h1"],
        ["2", "fp-b", "h1"],
        ["3", "fp-b", "h2"],
        ["4", "fp-c", "h1"],
      ]
        .map((row) => row.join("\t"))
        .join("\n"),
    );

  it("continue the row of the same fingerprint and content, and say when the content changed", () => {
    const rows = open();
    expect(rows.size).toBe(4);
    expect(rows.take("fp-a", "h1")).toMatchObject({ row: { id: "1" }, same: true });
    expect(rows.take("fp-a", "h1")).toBeNull();
    expect(rows.take("fp-c", "h9")).toMatchObject({ row: { id: "4" }, same: false });
    expect(rows.take("fp-new", "h1")).toBeNull();
    expect(rows.untaken()).toEqual({ ids: ["2", "3"], goneFingerprints: 1 });
  });

  it("match a fingerprint reported twice row by row, the one with the same content first", () => {
    const rows = open();
    expect(rows.take("fp-b", "h2")).toMatchObject({ row: { id: "3" }, same: true });
    expect(rows.take("fp-b", "h3")).toMatchObject({ row: { id: "2" }, same: false });
    expect(rows.take("fp-b", "h1")).toBeNull();
    expect(new Set(rows)).toEqual(new Set(["fp-a", "fp-b", "fp-c"]));
    expect(rows.has("fp-b") && !rows.has("fp-d")).toBe(true);
  });

  it("read nothing from an empty cluster", () => {
    expect(OpenFindings.fromText(null).size).toBe(0);
    expect([...OpenFindings.fromText(null)]).toEqual([]);
  });
});
