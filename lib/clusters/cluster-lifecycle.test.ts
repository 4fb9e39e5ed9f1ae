import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createTestOrganization, createTestUser } from "@/lib/testing/factories";
import { closeDb, useDbHandle } from "@/lib/db/client";
import { resetSettingsForTests } from "@/lib/config/settings";
import { TenantScope } from "@/lib/tenancy/tenant-db";
import { ingestSnapshot } from "@/lib/ingest/ingest-snapshot";
import { packSnapshot } from "@/lib/ingest/pack-snapshot";
import { sampleSnapshot } from "@/lib/ingest/testing/sample-snapshot";
import { pushPacked } from "@/lib/ingest/testing/ingest-calls";
import { runJobsUntilIdle } from "@/lib/jobs/job-runner";
import { registerCluster } from "./register-cluster";
import { rotateAgentToken } from "./rotate-agent-token";
import { revokeAgentToken } from "./revoke-agent-token";
import { listAgentTokens } from "./list-agent-tokens";
import { listClusters } from "./list-clusters";
import { getCluster } from "./get-cluster";
import { getClusterHistory } from "./get-cluster-history";
import { updateCluster } from "./update-cluster";
import { deleteCluster } from "./delete-cluster";
import { agentInstallCommands, cronForMinutes, shellQuote } from "./install-commands";

let database: TestDatabase;
beforeAll(async () => {
  process.env.APP_URL = "http://localhost:3000";
  process.env.INGEST_RATE_LIMIT_PER_MINUTE = "10000";
  resetSettingsForTests();
  database = await createTestDatabase();
  useDbHandle({ prisma: database.prisma, close: async () => {} });
});
afterAll(async () => {
  await closeDb();
  await database?.close();
});

const HOUR = 3600 * 1000;

describe("agent tokens", () => {
  it("rotates: old and new tokens both push until the old one is revoked; every step is audited", async () => {
    const scope = await createTestOrganization(database.prisma);
    const { cluster, token: first } = await registerCluster({ scope, input: { name: "rotating" } });
    const { token: second } = await rotateAgentToken({ scope, clusterId: cluster.id });
    expect(second.value).not.toBe(first.value);
    expect((await pushPacked(packSnapshot(sampleSnapshot()), first.value)).status).toBe(202);
    expect((await pushPacked(packSnapshot(sampleSnapshot()), second.value)).status).toBe(202);

    await revokeAgentToken({ scope, clusterId: cluster.id, tokenId: first.id });
    expect((await pushPacked(packSnapshot(sampleSnapshot()), first.value)).status).toBe(401);
    expect((await pushPacked(packSnapshot(sampleSnapshot()), second.value)).status).toBe(202);
    // Revoking twice changes nothing and audits once.
    expect((await revokeAgentToken({ scope, clusterId: cluster.id, tokenId: first.id })).alreadyRevoked).toBe(true);

    const tokens = await listAgentTokens({ scope, clusterId: cluster.id });
    expect(tokens.map((t) => [t.prefix, t.active])).toEqual([
      [second.prefix, true],
      [first.prefix, false],
    ]);
    expect(tokens[0]!.lastUsedAt).toBeInstanceOf(Date);
    expect(tokens[0]!.createdBy?.id).toBe(scope.userId);
    expect(JSON.stringify(tokens)).not.toContain(second.value);
    const actions = (await scope.db.auditLog.findMany({ where: { orgId: scope.orgId }, orderBy: { id: "asc" } })).map((e) => e.action);
    expect(actions.filter((a) => a.startsWith("agent_token."))).toEqual(["agent_token.created", "agent_token.revoked"]);
    const audit = await scope.db.auditLog.findMany({ where: { orgId: scope.orgId, action: { startsWith: "agent_token." } } });
    expect(JSON.stringify(audit.map((e) => e.metadata))).not.toContain(second.value);
  });

  it("lets only token managers rotate or revoke", async () => {
    const owner = await createTestOrganization(database.prisma);
    const { cluster, token } = await registerCluster({ scope: owner, input: { name: "guarded" } });
    const member = await createTestUser(database.prisma);
    await owner.db.membership.create({ data: { orgId: owner.orgId, userId: member.id, role: "MEMBER" } });
    const memberScope = new TenantScope(database.prisma, { ...owner.membership, userId: member.id, role: "MEMBER" });
    await expect(rotateAgentToken({ scope: memberScope, clusterId: cluster.id })).rejects.toMatchObject({ code: "forbidden" });
    await expect(revokeAgentToken({ scope: memberScope, clusterId: cluster.id, tokenId: token.id })).rejects.toMatchObject({ code: "forbidden" });
    expect(await listAgentTokens({ scope: memberScope, clusterId: cluster.id })).toHaveLength(1);
  });
});

describe("the fleet overview and the cluster page", () => {
  it("lists clusters with latest score, layers, counts, health and trend; stale after twice the schedule", async () => {
    const scope = await createTestOrganization(database.prisma);
    const { cluster, token } = await registerCluster({ scope, input: { name: "staging", environment: "staging", scheduleMinutes: 60 } });
    await registerCluster({ scope, input: { name: "waiting" } });
    const now = Date.now();
    for (const [daysAgo, insecure] of [[3, 3], [2, 2], [1, 0]] as const) {
      await ingestSnapshot({ prisma: database.prisma, token: token.value, snapshot: sampleSnapshot({ insecureDeployments: insecure, collectedAt: new Date(now - daysAgo * 24 * HOUR).toISOString() }) });
      await runJobsUntilIdle(database.prisma);
    }
    const [staging, waiting] = await listClusters({ scope });
    expect(waiting).toMatchObject({ name: "waiting", health: "waiting", stale: false, latest: null, trend: [] });
    expect(staging).toMatchObject({ name: "staging", health: "ok", stale: false, agentVersion: "0.1.0", provider: "eks" });
    expect(staging!.latest!.layers.map((l) => l.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(staging!.latest!.findingsBySeverity.CRITICAL.fail).toBe(0);
    expect(staging!.trend.map((p) => p.score)).toHaveLength(3);
    // Improving: fewer insecure deployments each day.
    const scores = staging!.trend.map((p) => p.score);
    expect(scores[2]!).toBeGreaterThan(scores[0]!);
    expect(staging!.latest!.diff).toMatchObject({ newFindings: 0 });
    expect(staging!.latest!.diff!.resolvedFindings).toBeGreaterThan(0);

    const later = new Date(Date.now() + 2 * 60 * 60 * 1000 + 60_000);
    const [stale] = await listClusters({ scope, now: later });
    expect(stale).toMatchObject({ health: "stale", stale: true });

    const detail = await getCluster({ scope, clusterId: cluster.id });
    expect(detail.layers).toHaveLength(6);
    const layer2 = detail.layers.find((l) => l.id === 2)!;
    expect(layer2.detail.checks.length).toBeGreaterThan(0);
    expect(detail.recentSnapshots).toHaveLength(3);
    expect(detail.coverage?.ratio).toBeGreaterThan(0);

    const history = await getClusterHistory({ scope, clusterId: cluster.id, days: 30 });
    expect(history.days.map((d) => d.score)).toEqual(scores);
    expect(history.snapshots).toHaveLength(3);
  });

  it("shows a newer failed snapshot as the agent's last failure", async () => {
    const scope = await createTestOrganization(database.prisma);
    const { cluster, token } = await registerCluster({ scope, input: { name: "flaky" } });
    await pushPacked(packSnapshot(sampleSnapshot({ mode: "cluster", clusterUid: "one" })), token.value);
    await runJobsUntilIdle(database.prisma);
    expect((await pushPacked(packSnapshot(sampleSnapshot({ mode: "cluster", clusterUid: "two" })), token.value)).status).toBe(403);
    const overview = (await listClusters({ scope })).find((c) => c.id === cluster.id)!;
    expect(overview.latest).not.toBeNull();
    expect(overview.lastFailure?.error).toContain("UID");
    expect(overview.pending).toBeNull();
  });

  it("updates and deletes a cluster (audited); a deleted cluster's token is refused", async () => {
    const scope = await createTestOrganization(database.prisma);
    const { cluster, token } = await registerCluster({ scope, input: { name: "old-name" } });
    await registerCluster({ scope, input: { name: "taken" } });
    await ingestSnapshot({ prisma: database.prisma, token: token.value, snapshot: sampleSnapshot() });
    await runJobsUntilIdle(database.prisma);
    const updated = await updateCluster({ scope, clusterId: cluster.id, input: { name: "new-name", scheduleMinutes: 120 } });
    expect(updated).toMatchObject({ name: "new-name", scheduleMinutes: 120 });
    await expect(updateCluster({ scope, clusterId: cluster.id, input: { name: "taken" } })).rejects.toMatchObject({ code: "conflict", details: { field: "name" } });
    await expect(updateCluster({ scope, clusterId: cluster.id, input: {} })).rejects.toThrow(/at least one/);
    const audit = await scope.db.auditLog.findFirstOrThrow({ where: { orgId: scope.orgId, action: "cluster.updated" } });
    expect(audit.metadata).toMatchObject({ changes: { name: { from: "old-name", to: "new-name" }, scheduleMinutes: { from: 360, to: 120 } } });

    await deleteCluster({ scope, clusterId: cluster.id });
    expect(await scope.db.cluster.findUnique({ where: { id: cluster.id } })).toBeNull();
    expect(await scope.db.finding.count({ where: { clusterId: cluster.id } })).toBe(0);
    expect(await scope.db.snapshot.count({ where: { clusterId: cluster.id } })).toBe(0);
    expect((await pushPacked(packSnapshot(sampleSnapshot()), token.value)).status).toBe(401);
    expect(await scope.db.auditLog.count({ where: { orgId: scope.orgId, action: "cluster.deleted", targetId: cluster.id } })).toBe(1);
    await expect(getCluster({ scope, clusterId: cluster.id })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("install commands", () => {
  it("name the token once, the server and the schedule, quoted for the shell", () => {
    const commands = agentInstallCommands({ appUrl: "https://ramparts.example.com/", token: "rpa_abc-DEF_123", scheduleMinutes: 120 });
    expect(commands.secret).toContain("--from-literal=token=rpa_abc-DEF_123");
    expect(commands.helm).toBe("helm install ramparts-agent ./agents/chart -n ramparts --set server.url=https://ramparts.example.com --set intervalHours=2");
    expect(commands.kubectl).toContain("kubectl apply -f agents/deploy/ramparts-agent.yaml");
    expect(commands.kubectl).toContain("RAMPARTS_SERVER_URL=https://ramparts.example.com");
    expect(commands.kubectl).toContain(`'{"spec":{"schedule":"0 */2 * * *"}}'`);
    expect(agentInstallCommands({ appUrl: "http://localhost:3000", token: "t", scheduleMinutes: 30 }).helm).toContain("--set schedule='*/30 * * * *'");
    expect(shellQuote("it's")).toBe(`'it'"'"'s'`);
    expect(cronForMinutes(1440)).toBe("0 0 * * *");
  });
});
