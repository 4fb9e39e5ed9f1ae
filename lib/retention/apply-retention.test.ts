import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createTestOrganization } from "@/lib/testing/factories";
import { registerCluster } from "@/lib/clusters/register-cluster";
import { ingestSnapshot } from "@/lib/ingest/ingest-snapshot";
import { packSnapshot } from "@/lib/ingest/pack-snapshot";
import { sampleSnapshot } from "@/lib/ingest/testing/sample-snapshot";
import { authenticateAgent } from "@/lib/ingest/authenticate-agent";
import { storeSnapshotChunk } from "@/lib/ingest/store-snapshot-chunk";
import { runJobsUntilIdle } from "@/lib/jobs/job-runner";
import { applyRetention } from "./apply-retention";
import { findingsOf } from "@/lib/testing/snapshot-findings";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.close());

const DAY = 24 * 3600 * 1000;

describe("retention", () => {
  it("expires old snapshots with their findings but keeps each cluster's latest, old daily scores, and stalled uploads", async () => {
    const { prisma } = database;
    const now = new Date("2026-11-28T12:00:00Z");
    const scope = await createTestOrganization(prisma);
    const { cluster, token } = await registerCluster({ scope, input: { name: "prod" } });
    const ids: string[] = [];
    // The oldest also has a namespace fixed since: its finding rows end at the next snapshot.
    for (const daysAgo of [100, 95, 91]) {
      const namespaces = daysAgo === 100 ? ["shop", "retired"] : ["shop"];
      const { snapshotId } = await ingestSnapshot({ prisma, token: token.value, snapshot: sampleSnapshot({ namespaces, collectedAt: new Date(now.getTime() - daysAgo * DAY).toISOString() }) });
      await runJobsUntilIdle(prisma);
      await scope.db.snapshot.update({ where: { id: snapshotId }, data: { receivedAt: new Date(now.getTime() - daysAgo * DAY) } });
      ids.push(snapshotId);
    }
    const recent = await ingestSnapshot({ prisma, token: token.value, snapshot: sampleSnapshot({ collectedAt: new Date(now.getTime() - DAY).toISOString() }) });
    await runJobsUntilIdle(prisma);
    expect((await scope.db.cluster.findUniqueOrThrow({ where: { id: cluster.id } })).latestSnapshotId).toBe(recent.snapshotId);

    // A quiet cluster: its only snapshot is old, and it is its latest.
    const quiet = await registerCluster({ scope, input: { name: "quiet" } });
    const quietSnapshot = await ingestSnapshot({ prisma, token: quiet.token.value, snapshot: sampleSnapshot() });
    await runJobsUntilIdle(prisma);
    await scope.db.snapshot.update({ where: { id: quietSnapshot.snapshotId }, data: { receivedAt: new Date(now.getTime() - 200 * DAY) } });

    // Two uploads that never completed: one stalled two hours ago, one still arriving.
    const agent = await authenticateAgent(prisma, `Bearer ${token.value}`, now);
    const stalled = packSnapshot(sampleSnapshot());
    const arriving = packSnapshot(sampleSnapshot());
    for (const [packed, at] of [[stalled, new Date(now.getTime() - 2 * 3600 * 1000)], [arriving, new Date(now.getTime() - 10 * 60 * 1000)]] as const) {
      const chunk = packed.chunks[0]!;
      await storeSnapshotChunk({ prisma, agent, now: at, upload: { snapshotId: packed.snapshotId, index: 0, raw: chunk.body, sha256: chunk.sha256, agentVersion: "0.1.0", chartVersion: null } });
    }

    // Daily scores: one 400 days old (gone), one 300 days old (kept).
    const daily = await scope.db.dailyScore.findFirstOrThrow({ where: { clusterId: cluster.id } });
    const { orgId, clusterId, score, grade, coverage, layers, snapshotId } = daily;
    for (const daysAgo of [400, 300]) {
      await scope.db.dailyScore.create({ data: { orgId, clusterId, score, grade, coverage, layers: layers as object, snapshotId, collectedAt: now, day: new Date(now.getTime() - daysAgo * DAY) } });
    }

    // Another organization, all within retention: untouched.
    const other = await createTestOrganization(prisma);
    const otherCluster = await registerCluster({ scope: other, input: { name: "other" } });
    const otherSnapshot = await ingestSnapshot({ prisma, token: otherCluster.token.value, snapshot: sampleSnapshot() });
    await runJobsUntilIdle(prisma);

    const incompleteOnly = await applyRetention({ prisma, now, retentionDays: 90, only: "incomplete" });
    expect(incompleteOnly).toMatchObject({ incompleteSnapshotsDeleted: 1, snapshotsDeleted: 0, dailyScoresDeleted: 0 });
    expect(await scope.db.snapshot.findUnique({ where: { id: stalled.snapshotId } })).toBeNull();
    expect(await scope.db.snapshotChunk.count({ where: { snapshotId: stalled.snapshotId } })).toBe(0);

    expect(await scope.db.finding.count({ where: { clusterId: cluster.id, namespace: "retired", endSeq: { not: null } } })).toBeGreaterThan(0);
    // Every row that ended did so before the recent snapshot: none is reported by a snapshot left.
    const ended = await scope.db.finding.count({ where: { clusterId: cluster.id, endSeq: { not: null } } });
    const result = await applyRetention({ prisma, now, retentionDays: 90 });
    expect(result).toMatchObject({ snapshotsDeleted: 3, incompleteSnapshotsDeleted: 0, dailyScoresDeleted: 1, findingRowsDeleted: ended });
    const left = (await scope.db.snapshot.findMany({ where: { orgId: scope.orgId }, select: { id: true } })).map((s) => s.id).sort();
    expect(left).toEqual([recent.snapshotId, quietSnapshot.snapshotId, arriving.snapshotId].sort());
    // Rows only the expired snapshots reported are gone; rows the recent one still reports stay.
    expect(await scope.db.finding.count({ where: { clusterId: cluster.id, namespace: "retired" } })).toBe(0);
    expect(await scope.db.finding.count({ where: { clusterId: cluster.id } })).toBe(await scope.db.finding.count({ where: await findingsOf(scope, recent.snapshotId) }));
    for (const id of ids) {
      expect(await scope.db.snapshotChunk.count({ where: { snapshotId: id } })).toBe(0);
      expect(await scope.db.snapshotLayerScore.count({ where: { snapshotId: id } })).toBe(0);
    }
    expect(await scope.db.finding.count({ where: await findingsOf(scope, recent.snapshotId) })).toBeGreaterThan(0);
    expect(await scope.db.finding.count({ where: await findingsOf(scope, quietSnapshot.snapshotId) })).toBeGreaterThan(0);
    const days = (await scope.db.dailyScore.findMany({ where: { clusterId: cluster.id }, select: { day: true } })).map((d) => d.day.toISOString().slice(0, 10));
    expect(days).not.toContain(new Date(now.getTime() - 400 * DAY).toISOString().slice(0, 10));
    expect(days).toContain(new Date(now.getTime() - 300 * DAY).toISOString().slice(0, 10));
    expect(await other.db.snapshot.findUnique({ where: { id: otherSnapshot.snapshotId } })).not.toBeNull();

    // Nothing left to do: a second run changes nothing.
    expect(await applyRetention({ prisma, now, retentionDays: 90 })).toMatchObject({ snapshotsDeleted: 0, incompleteSnapshotsDeleted: 0, dailyScoresDeleted: 0, findingRowsDeleted: 0 });
  });
});
