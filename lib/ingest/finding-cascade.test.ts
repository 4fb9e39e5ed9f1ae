/**
 * Findings carry no foreign key (bulk insert speed); a trigger deletes them with their snapshot.
 * These tests hold the cascade to what the key did: snapshot, cluster and organization deletes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createTestOrganization } from "@/lib/testing/factories";
import { inTenantTransaction, type TenantScope } from "@/lib/tenancy/tenant-db";
import { registerCluster } from "@/lib/clusters/register-cluster";
import { runJobsUntilIdle } from "@/lib/jobs/job-runner";
import { ingestSnapshot } from "./ingest-snapshot";
import { sampleSnapshot } from "./testing/sample-snapshot";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

async function clusterWithFindings(scope: TenantScope) {
  const { cluster, token } = await registerCluster({ scope, input: { name: `c-${Math.random().toString(36).slice(2, 8)}` } });
  const { snapshotId } = await ingestSnapshot({ prisma: database.prisma, token: token.value, snapshot: sampleSnapshot() });
  await runJobsUntilIdle(database.prisma);
  expect(await scope.db.finding.count({ where: { snapshotId } })).toBeGreaterThan(0);
  return { clusterId: cluster.id, snapshotId };
}

describe("findings go with their snapshot", () => {
  it("when the snapshot, its cluster, or its organization is deleted, and only those", async () => {
    const scope = await createTestOrganization(database.prisma);
    const kept = await clusterWithFindings(scope);
    const bySnapshot = await clusterWithFindings(scope);
    const byCluster = await clusterWithFindings(scope);
    await inTenantTransaction(database.prisma, scope.context, (tx) => tx.snapshot.delete({ where: { id: bySnapshot.snapshotId } }));
    await inTenantTransaction(database.prisma, scope.context, (tx) => tx.cluster.delete({ where: { id: byCluster.clusterId } }));
    expect(await scope.db.finding.count({ where: { snapshotId: { in: [bySnapshot.snapshotId, byCluster.snapshotId] } } })).toBe(0);
    expect(await scope.db.finding.count({ where: { snapshotId: kept.snapshotId } })).toBeGreaterThan(0);

    const doomed = await createTestOrganization(database.prisma);
    const gone = await clusterWithFindings(doomed);
    await inTenantTransaction(database.prisma, doomed.context, async (tx) => {
      await tx.$executeRaw`SELECT set_config('ramparts.cascade_org_delete', 'on', true)`;
      await tx.organization.delete({ where: { id: doomed.orgId } });
    });
    expect(await doomed.db.finding.count({ where: { snapshotId: gone.snapshotId } })).toBe(0);
    expect(await scope.db.finding.count({ where: { snapshotId: kept.snapshotId } })).toBeGreaterThan(0);
  });
});
