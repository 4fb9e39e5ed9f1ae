/**
 * Finding rows span the snapshots that report them (lib/findings/snapshot-membership.ts), against
 * the real database (PostgreSQL with TEST_DATABASE_URL, else the embedded one) through the real
 * ingest path and queue: a snapshot that reports what the previous one did writes no row, a fixed
 * finding's row ends at the snapshot that no longer reports it (and still belongs to the previous
 * one), a new finding starts a row, an exception changes the row in place, and a late retry is a
 * detached snapshot with rows of its own that touch nothing of the chain.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createTestOrganization } from "@/lib/testing/factories";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { registerCluster } from "@/lib/clusters/register-cluster";
import { runJobsUntilIdle } from "@/lib/jobs/job-runner";
import { createException } from "@/lib/exceptions/create-exception";
import { listClusterFindings } from "@/lib/findings/list-cluster-findings";
import { getSnapshotChanges } from "@/lib/findings/get-snapshot-changes";
import { findingsOf } from "@/lib/testing/snapshot-findings";
import { ingestSnapshot } from "./ingest-snapshot";
import { sampleSnapshot, type SampleOptions } from "./testing/sample-snapshot";

let database: TestDatabase;
let scope: TenantScope;
let clusterId: string;
let token: string;
beforeAll(async () => {
  database = await createTestDatabase();
  scope = await createTestOrganization(database.prisma);
  const registered = await registerCluster({ scope, input: { name: "chain" } });
  clusterId = registered.cluster.id;
  token = registered.token.value;
});
afterAll(async () => database?.close());

const HOUR = 3600_000;
const start = Date.now() - 10 * HOUR;

async function push(hour: number, options: SampleOptions): Promise<string> {
  const { snapshotId } = await ingestSnapshot({ prisma: database.prisma, token, snapshot: sampleSnapshot({ ...options, collectedAt: new Date(start + hour * HOUR).toISOString() }) });
  await runJobsUntilIdle(database.prisma);
  return snapshotId;
}

const rowsOf = async (snapshotId: string) => scope.db.finding.findMany({ where: await findingsOf(scope, snapshotId), orderBy: { id: "asc" } });
const allRows = () => scope.db.finding.findMany({ where: { clusterId }, orderBy: { id: "asc" } });
/** In the namespace, or the Namespace itself (a cluster-scoped resource). */
const about = (ns: string) => (r: { namespace: string | null; kind: string; name: string }) => r.namespace === ns || (r.kind === "Namespace" && r.name === ns);
const snapshot = (id: string) => scope.db.snapshot.findUniqueOrThrow({ where: { id } });

describe("finding rows across snapshots", () => {
  let first: string;
  let second: string;
  let third: string;

  it("the first snapshot starts the chain: every finding a row of its own, open", async () => {
    first = await push(0, { namespaces: ["shop", "pay"], insecureDeployments: 2 });
    expect(await snapshot(first)).toMatchObject({ status: "READY", seq: 1 });
    const rows = await rowsOf(first);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.every((r) => r.firstSeq === 1 && r.endSeq === null && r.snapshotId === first)).toBe(true);
    expect(await allRows()).toHaveLength(rows.length);
  });

  it("a snapshot reporting the same findings writes no row, and shows the same ones", async () => {
    const before = await allRows();
    second = await push(1, { namespaces: ["shop", "pay"], insecureDeployments: 2 });
    expect(await snapshot(second)).toMatchObject({ seq: 2, previousSnapshotId: first, summary: { diff: { newFindings: 0, resolvedFindings: 0 } } });
    // Not one row more, none changed: the same ids, the same content.
    expect(await allRows()).toEqual(before);
    expect((await rowsOf(second)).map((r) => r.id)).toEqual((await rowsOf(first)).map((r) => r.id));
    const page = await listClusterFindings({ scope, clusterId, page: { limit: 500 } });
    expect(page.snapshot?.id).toBe(second);
    expect(page.total).toBe(before.length);
    expect(page.findings.some((f) => f.isNew)).toBe(false);
  });

  it("a fixed finding's row ends where it is no longer reported, a new one starts there, and each snapshot keeps its own view", async () => {
    const secondRows = await rowsOf(second);
    // "pay" is fixed (no insecure Deployment left there), "batch" is new.
    third = await push(2, { namespaces: ["shop", "batch"], insecureDeployments: 2 });
    const thirdRows = await rowsOf(third);
    const summary = (await snapshot(third)).summary as { diff: { newFindings: number; resolvedFindings: number } };
    const resolved = secondRows.filter(about("pay"));
    const added = thirdRows.filter(about("batch"));
    expect(resolved.length).toBeGreaterThan(0);
    expect(added.length).toBeGreaterThan(0);
    expect(summary.diff).toEqual(expect.objectContaining({ newFindings: added.length, resolvedFindings: resolved.length }));

    const all = await allRows();
    const byId = new Map(all.map((r) => [r.id, r]));
    expect(resolved.every((r) => byId.get(r.id)!.endSeq === 3)).toBe(true);
    expect(added.every((r) => r.firstSeq === 3 && r.endSeq === null && r.snapshotId === third)).toBe(true);
    // Rows "shop" reported all along are the first snapshot's, untouched.
    expect(thirdRows.filter(about("shop")).every((r) => r.firstSeq === 1 && r.endSeq === null)).toBe(true);
    expect(all).toHaveLength(secondRows.length + added.length);
    // The second snapshot still shows what it reported.
    expect((await rowsOf(second)).map((r) => r.id)).toEqual(secondRows.map((r) => r.id));

    const changes = await getSnapshotChanges({ scope, clusterId, limit: 1000 });
    expect(changes.newCount).toBe(added.length);
    expect(changes.resolvedCount).toBe(resolved.length);
    expect(changes.newFindings.every((f) => about("batch")(f.resource) && f.isNew)).toBe(true);
    expect(changes.resolvedFindings.every((f) => about("pay")(f.resource) && !f.isNew)).toBe(true);
    const onlyNew = await listClusterFindings({ scope, clusterId, filters: { new: "1" }, page: { limit: 500 } });
    expect(onlyNew.total).toBe(added.length);
    const earlier = await listClusterFindings({ scope, clusterId, snapshotId: second, page: { limit: 500 } });
    expect(earlier.total).toBe(secondRows.length);
  });

  it("an exception changes the open rows in place: no row added, the previous snapshots' rows untouched", async () => {
    const before = await allRows();
    await createException({ scope, input: { clusterId, checkId: "privileged-container", reason: "isolated node pool" } });
    await runJobsUntilIdle(database.prisma);
    const after = await allRows();
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id));
    const excepted = after.filter((r) => r.status === "EXCEPTED");
    expect(excepted.length).toBeGreaterThan(0);
    expect(excepted.every((r) => r.checkId === "privileged-container" && r.endSeq === null && r.exceptionId !== null)).toBe(true);
    // A privileged container fixed before the exception keeps its row's status.
    expect(after.filter((r) => r.checkId === "privileged-container" && r.endSeq !== null).every((r) => r.status === "FAIL")).toBe(true);
    expect(await snapshot(third)).toMatchObject({ seq: 3, evaluationCount: 2, summary: { diff: expect.objectContaining({ newFindings: (await rowsOf(third)).filter(about("batch")).length }) } });
  });

  it("a late retry (collected before the latest) is detached: rows of its own, the chain untouched", async () => {
    const before = await allRows();
    const late = await push(1.5, { namespaces: ["late"], insecureDeployments: 1 });
    const detached = await snapshot(late);
    expect(detached).toMatchObject({ status: "READY", seq: null, previousSnapshotId: second });
    expect((await scope.db.cluster.findUniqueOrThrow({ where: { id: clusterId } })).latestSnapshotId).toBe(third);
    const own = await rowsOf(late);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((r) => r.snapshotId === late && r.firstSeq === 0 && r.endSeq === 0)).toBe(true);
    expect(own.some(about("late"))).toBe(true);
    expect((await allRows()).filter((r) => r.snapshotId !== late)).toEqual(before);
    const changes = await getSnapshotChanges({ scope, clusterId, snapshotId: late, limit: 1000 });
    // Compared by fingerprint with the snapshot before it (the second).
    const previous = new Set((await rowsOf(second)).map((r) => r.fingerprint));
    const current = new Set(own.map((r) => r.fingerprint));
    expect(changes.newCount).toBe(own.filter((r) => !previous.has(r.fingerprint)).length);
    expect(changes.resolvedCount).toBe([...previous].filter((fp) => !current.has(fp)).length);
    expect(changes.resolvedCount).toBeGreaterThan(0);

    // The next snapshot continues the chain from the latest, not from the late one.
    const fourth = await push(3, { namespaces: ["shop", "batch"], insecureDeployments: 2 });
    expect(await snapshot(fourth)).toMatchObject({ seq: 4, previousSnapshotId: third, summary: { diff: { newFindings: 0, resolvedFindings: 0 } } });
    expect((await allRows()).length).toBe(before.length + own.length);
  });
});
