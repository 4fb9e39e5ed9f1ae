/**
 * Finding rows carry no foreign key to a snapshot: rows of a cluster's chain span snapshots
 * (lib/findings/snapshot-membership.ts) and go with the cluster or the organization (foreign
 * keys) or with retention; a detached snapshot's rows are its own, and a trigger deletes them with it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createTestOrganization } from "@/lib/testing/factories";
import { inTenantTransaction, type TenantScope } from "@/lib/tenancy/tenant-db";
import { registerCluster } from "@/lib/clusters/register-cluster";
import { runJobsUntilIdle } from "@/lib/jobs/job-runner";
import { ingestSnapshot } from "./ingest-snapshot";
import { sampleSnapshot } from "./testing/sample-snapshot";
import { findingsOf } from "@/lib/testing/snapshot-findings";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

async function clusterWithFindings(scope: TenantScope) {
  const { cluster, token } = await registerCluster({ scope, input: { name: `c-${Math.random().toString(36).slice(2, 8)}` } });
  const { snapshotId } = await ingestSnapshot({ prisma: database.prisma, token: token.value, snapshot: sampleSnapshot() });
  await runJobsUntilIdle(database.prisma);
  expect(await scope.db.finding.count({ where: await findingsOf(scope, snapshotId) })).toBeGreaterThan(0);
  return { clusterId: cluster.id, snapshotId, token: token.value };
}

describe("finding rows go", () => {
  it("with a detached snapshot, the cluster, or the organization, and only those", async () => {
    const scope = await createTestOrganization(database.prisma);
    const kept = await clusterWithFindings(scope);
    const byCluster = await clusterWithFindings(scope);
    // A retry that arrives after a later snapshot: detached, with rows of its own.
    const late = await ingestSnapshot({ prisma: database.prisma, token: kept.token, snapshot: sampleSnapshot({ namespaces: ["late"], collectedAt: new Date(Date.now() - 3600_000).toISOString() }) });
    await runJobsUntilIdle(database.prisma);
    const detached = await scope.db.snapshot.findUniqueOrThrow({ where: { id: late.snapshotId } });
    expect(detached).toMatchObject({ status: "READY", seq: null });
    expect(await scope.db.finding.count({ where: { snapshotId: late.snapshotId, firstSeq: 0, endSeq: 0, namespace: "late" } })).toBeGreaterThan(0);
    const keptRows = await scope.db.finding.count({ where: await findingsOf(scope, kept.snapshotId) });

    await inTenantTransaction(database.prisma, scope.context, (tx) => tx.snapshot.delete({ where: { id: late.snapshotId } }));
    await inTenantTransaction(database.prisma, scope.context, (tx) => tx.cluster.delete({ where: { id: byCluster.clusterId } }));
    expect(await scope.db.finding.count({ where: { snapshotId: late.snapshotId } })).toBe(0);
    expect(await scope.db.finding.count({ where: { clusterId: byCluster.clusterId } })).toBe(0);
    expect(await scope.db.finding.count({ where: await findingsOf(scope, kept.snapshotId) })).toBe(keptRows);

    const doomed = await createTestOrganization(database.prisma);
    const gone = await clusterWithFindings(doomed);
    await inTenantTransaction(database.prisma, doomed.context, async (tx) => {
      await tx.$executeRaw`SELECT set_config('ramparts.cascade_org_delete', 'on', true)`;
      await tx.organization.delete({ where: { id: doomed.orgId } });
    });
    expect(await doomed.db.finding.count({ where: { clusterId: gone.clusterId } })).toBe(0);
    expect(await scope.db.finding.count({ where: await findingsOf(scope, kept.snapshotId) })).toBeGreaterThan(0);
  });
});
