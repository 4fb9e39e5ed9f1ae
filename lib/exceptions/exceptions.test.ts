import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createTestOrganization, createTestUser } from "@/lib/testing/factories";
import { TenantScope } from "@/lib/tenancy/tenant-db";
import { registerCluster } from "@/lib/clusters/register-cluster";
import { ingestSnapshot } from "@/lib/ingest/ingest-snapshot";
import { sampleSnapshot } from "@/lib/ingest/testing/sample-snapshot";
import { runJobsUntilIdle } from "@/lib/jobs/job-runner";
import { createException } from "./create-exception";
import { revokeException } from "./revoke-exception";
import { listExceptions } from "./list-exceptions";
import { findingsOf } from "@/lib/testing/snapshot-findings";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

async function clusterWithSnapshot(scope: TenantScope, name: string, namespaces = ["shop", "pay"]) {
  const { cluster, token } = await registerCluster({ scope, input: { name } });
  const { snapshotId } = await ingestSnapshot({ prisma: database.prisma, token: token.value, snapshot: sampleSnapshot({ namespaces }) });
  await runJobsUntilIdle(database.prisma);
  return { cluster, snapshotId };
}

const latest = async (scope: TenantScope, snapshotId: string) => scope.db.snapshot.findUniqueOrThrow({ where: { id: snapshotId } });

describe("exceptions", () => {
  it("change the score: creating one re-evaluates the latest snapshot, revoking it restores the score", async () => {
    const scope = await createTestOrganization(database.prisma);
    const { cluster, snapshotId } = await clusterWithSnapshot(scope, "prod");
    const before = await latest(scope, snapshotId);
    expect(before.summary).toMatchObject({ cappedBy: expect.arrayContaining(["critical"]) });
    const daily = async () => (await scope.db.dailyScore.findFirstOrThrow({ where: { clusterId: cluster.id } })).score;
    expect(await daily()).toBe(before.score);

    const exception = await createException({ scope, input: { clusterId: null, checkId: "privileged-container", reason: "node agents need it, reviewed by security" } });
    // Queued in the same transaction: the score follows once the queue runs.
    expect((await latest(scope, snapshotId)).score).toBe(before.score);
    await runJobsUntilIdle(database.prisma);
    const after = await latest(scope, snapshotId);
    expect(after.score!).toBeGreaterThan(before.score!);
    expect(after.evaluationCount).toBe(2);
    expect(await daily()).toBe(after.score);
    const excepted = await scope.db.finding.findMany({ where: { ...(await findingsOf(scope, snapshotId)), checkId: "privileged-container" } });
    expect(excepted).toHaveLength(2);
    expect(excepted.every((f) => f.status === "EXCEPTED" && f.exceptionId === exception.id)).toBe(true);
    const [listed] = await listExceptions({ scope });
    expect(listed).toMatchObject({ id: exception.id, state: "active", matchedFindings: 2, cluster: null, createdBy: { id: scope.userId } });

    await revokeException({ scope, exceptionId: exception.id });
    await runJobsUntilIdle(database.prisma);
    const restored = await latest(scope, snapshotId);
    expect(restored.score).toBe(before.score);
    expect(await scope.db.finding.count({ where: { ...(await findingsOf(scope, snapshotId)), status: "EXCEPTED" } })).toBe(0);
    expect(await listExceptions({ scope })).toHaveLength(0);
    expect((await listExceptions({ scope, includeInactive: true }))[0]).toMatchObject({ state: "revoked" });
    const actions = (await scope.db.auditLog.findMany({ where: { orgId: scope.orgId, action: { startsWith: "exception." } }, orderBy: { id: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["exception.created", "exception.revoked"]);
  });

  it("apply only within their scope: cluster, namespace, kind and name pattern", async () => {
    const scope = await createTestOrganization(database.prisma);
    const one = await clusterWithSnapshot(scope, "one");
    const two = await clusterWithSnapshot(scope, "two");
    await createException({ scope, input: { clusterId: one.cluster.id, checkId: "privileged-container", namespace: "pay", kind: "Deployment", namePattern: "legacy-*", reason: "payment migration until March" } });
    await runJobsUntilIdle(database.prisma);
    const statuses = async (snapshotId: string) =>
      Object.fromEntries((await scope.db.finding.findMany({ where: { ...(await findingsOf(scope, snapshotId)), checkId: "privileged-container" } })).map((f) => [f.namespace, f.status]));
    expect(await statuses(one.snapshotId)).toEqual({ pay: "EXCEPTED", shop: "FAIL" });
    expect(await statuses(two.snapshotId)).toEqual({ pay: "FAIL", shop: "FAIL" });
    const notMatching = await createException({ scope, input: { clusterId: two.cluster.id, checkId: "privileged-container", kind: "StatefulSet", reason: "only statefulsets" } });
    await runJobsUntilIdle(database.prisma);
    expect(await statuses(two.snapshotId)).toEqual({ pay: "FAIL", shop: "FAIL" });
    expect((await listExceptions({ scope, clusterId: two.cluster.id })).find((e) => e.id === notMatching.id)?.matchedFindings).toBe(0);
  });

  it("schedule a re-evaluation for when they expire", async () => {
    const scope = await createTestOrganization(database.prisma);
    const { cluster } = await clusterWithSnapshot(scope, "expiring");
    const expiresAt = new Date(Date.now() + 7 * 24 * 3600 * 1000);
    const exception = await createException({ scope, input: { clusterId: cluster.id, checkId: "run-as-root", reason: "temporary", expiresAt: expiresAt.toISOString() } });
    const [job] = await database.prisma.$queryRawUnsafe<{ run_at: Date }[]>(`SELECT run_at FROM graphile_worker.jobs WHERE key = $1`, `exception-expiry:${exception.id}:${cluster.id}`);
    expect(job!.run_at.getTime()).toBe(expiresAt.getTime() + 1000);
    await expect(createException({ scope, input: { checkId: "run-as-root", reason: "already over", expiresAt: new Date(Date.now() - 1000).toISOString() } })).rejects.toMatchObject({
      code: "validation_failed",
      details: { field: "expiresAt" },
    });
  });

  it("are managed by admins and owners only, validated, and confined to the organization", async () => {
    const owner = await createTestOrganization(database.prisma);
    const other = await createTestOrganization(database.prisma);
    const { cluster: otherCluster } = await registerCluster({ scope: other, input: { name: "theirs" } });
    const member = await createTestUser(database.prisma);
    await owner.db.membership.create({ data: { orgId: owner.orgId, userId: member.id, role: "MEMBER" } });
    const memberScope = new TenantScope(database.prisma, { ...owner.membership, userId: member.id, role: "MEMBER" });
    await expect(createException({ scope: memberScope, input: { checkId: "run-as-root", reason: "nope nope" } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(createException({ scope: owner, input: { checkId: "no-such-check", reason: "typo" } })).rejects.toThrow(/Unknown check/);
    await expect(createException({ scope: owner, input: { clusterId: otherCluster.id, checkId: "run-as-root", reason: "someone else's" } })).rejects.toMatchObject({ code: "not_found" });
    const mine = await createException({ scope: owner, input: { checkId: "run-as-root", reason: "mine, org-wide" } });
    await expect(revokeException({ scope: other, exceptionId: mine.id })).rejects.toMatchObject({ code: "not_found" });
    await expect(revokeException({ scope: memberScope, exceptionId: mine.id })).rejects.toMatchObject({ code: "forbidden" });
    expect(await listExceptions({ scope: memberScope })).toHaveLength(1);
  });
});
