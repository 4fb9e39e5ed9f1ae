import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createTestOrganization } from "@/lib/testing/factories";
import { closeDb, useDbHandle } from "@/lib/db/client";
import { resetSettingsForTests } from "@/lib/config/settings";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { registerCluster } from "@/lib/clusters/register-cluster";
import { ingestSnapshot } from "@/lib/ingest/ingest-snapshot";
import { sampleSnapshot } from "@/lib/ingest/testing/sample-snapshot";
import { runJobsUntilIdle } from "@/lib/jobs/job-runner";
import { listClusterFindings, listFindingFacets } from "./list-cluster-findings";
import { listCheckFindings } from "./list-check-findings";
import { listResourceFindings } from "./list-resource-findings";
import { getSnapshotChanges } from "./get-snapshot-changes";
import { getFinding } from "./get-finding";
import { exportClusterFindings } from "./export-cluster-findings";
import { csvCell } from "./findings-csv";
import type { FindingView } from "./finding-view";
import { findingsOf } from "@/lib/testing/snapshot-findings";

let database: TestDatabase;
let scope: TenantScope;
let clusterId: string;
let otherClusterId: string;
let firstSnapshotId: string;
let snapshotId: string;

beforeAll(async () => {
  process.env.APP_URL = "http://localhost:3000";
  resetSettingsForTests();
  database = await createTestDatabase();
  useDbHandle({ prisma: database.prisma, close: async () => {} });
  scope = await createTestOrganization(database.prisma);
  const { cluster, token } = await registerCluster({ scope, input: { name: "prod" } });
  clusterId = cluster.id;
  // First snapshot: shop and pay; second: shop and a new namespace "ops", pay fixed away.
  firstSnapshotId = (await ingestSnapshot({ prisma: database.prisma, token: token.value, snapshot: sampleSnapshot({ namespaces: ["shop", "pay"], insecureDeployments: 2, collectedAt: new Date(Date.now() - 3600_000).toISOString() }) })).snapshotId;
  await runJobsUntilIdle(database.prisma);
  snapshotId = (await ingestSnapshot({ prisma: database.prisma, token: token.value, snapshot: sampleSnapshot({ namespaces: ["shop", "ops"], insecureDeployments: 2 }) })).snapshotId;
  await runJobsUntilIdle(database.prisma);
  const other = await registerCluster({ scope, input: { name: "staging" } });
  otherClusterId = other.cluster.id;
  await ingestSnapshot({ prisma: database.prisma, token: other.token.value, snapshot: sampleSnapshot({ namespaces: ["web"] }) });
  await runJobsUntilIdle(database.prisma);
});
afterAll(async () => {
  await closeDb();
  await database?.close();
});

const SEVERITY_ORDER = ["CRITICAL", "HIGH", "MEDIUM", "LOW"];

/** In the namespace, or about the Namespace object itself (default-deny, Pod Security labels). */
const inNamespace = (f: FindingView, ns: string) => f.resource.namespace === ns || (f.resource.kind === "Namespace" && f.resource.name === ns);

async function allPages(filters: Record<string, unknown>, limit: number): Promise<FindingView[]> {
  const out: FindingView[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 100; i++) {
    const page = await listClusterFindings({ scope, clusterId, filters, page: { cursor, limit } });
    out.push(...page.findings);
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
  throw new Error("too many pages");
}

describe("cluster findings", () => {
  it("pages through every finding once, severity first, with the total", async () => {
    const first = await listClusterFindings({ scope, clusterId, page: { limit: 5 } });
    expect(first.snapshot?.id).toBe(snapshotId);
    const all = await allPages({}, 5);
    expect(all).toHaveLength(first.total);
    expect(new Set(all.map((f) => f.id)).size).toBe(all.length);
    const ranks = all.map((f) => SEVERITY_ORDER.indexOf(f.severity));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(await scope.db.finding.count({ where: await findingsOf(scope, snapshotId) })).toBe(all.length);
  });

  it("filters by layer, severity, status, namespace, check, kind, search and newness", async () => {
    const critical = await allPages({ severity: "critical" }, 50);
    expect(critical.length).toBeGreaterThan(0);
    expect(critical.every((f) => f.severity === "CRITICAL")).toBe(true);
    const layer2 = await allPages({ layer: "2" }, 50);
    expect(layer2.every((f) => f.layer === 2)).toBe(true);
    const several = await allPages({ layer: "1,2" }, 50);
    expect(several.length).toBeGreaterThanOrEqual(layer2.length);
    const ops = await allPages({ namespace: "ops" }, 50);
    expect(ops.length).toBeGreaterThan(0);
    expect(ops.every((f) => f.resource.namespace === "ops")).toBe(true);
    const privileged = await allPages({ check: "privileged-container", q: "LEGACY-1" }, 50);
    expect(privileged.map((f) => `${f.resource.namespace}/${f.resource.name}`).sort()).toEqual(["ops/legacy-1", "shop/legacy-1"]);
    expect(privileged[0]).toMatchObject({ checkTitle: expect.any(String), path: "spec.template.spec.containers[0].securityContext.privileged", layerName: "RBAC and admission control" });
    expect((await allPages({ kind: "Namespace" }, 50)).every((f) => f.resource.kind === "Namespace")).toBe(true);
    expect((await allPages({ status: "unknown" }, 50)).every((f) => f.status === "UNKNOWN")).toBe(true);
    // New since the previous snapshot: exactly the findings in (or on) the new namespace "ops".
    const fresh = await allPages({ new: "1" }, 50);
    const onOps = await allPages({ kind: "Namespace", q: "ops" }, 50);
    expect(fresh.length).toBe(ops.length + onOps.length);
    expect(fresh.every((f) => inNamespace(f, "ops") && f.isNew)).toBe(true);
    // Search text is data, not SQL or a pattern.
    expect(await allPages({ q: "%" }, 50)).toHaveLength(0);
    await expect(listClusterFindings({ scope, clusterId, filters: { severity: "urgent" } })).rejects.toThrow();
  });

  it("offers the namespaces and checks present, with counts", async () => {
    const facets = await listFindingFacets({ scope, clusterId });
    expect(facets.namespaces.map((n) => n.namespace)).toEqual(expect.arrayContaining(["ops", "shop"]));
    expect(facets.namespaces.map((n) => n.namespace)).not.toContain("pay");
    expect(facets.checks.find((c) => c.checkId === "privileged-container")?.count).toBe(4);
  });

  it("tells what changed: the new findings and the resolved ones, by fingerprint", async () => {
    const changes = await getSnapshotChanges({ scope, clusterId });
    expect(changes.previous?.id).toBe(firstSnapshotId);
    expect(changes.newCount).toBeGreaterThan(0);
    expect(changes.newFindings.every((f) => inNamespace(f, "ops"))).toBe(true);
    expect(changes.resolvedCount).toBe(changes.newCount);
    expect(changes.resolvedFindings.every((f) => inNamespace(f, "pay"))).toBe(true);
    const summary = (await scope.db.snapshot.findUniqueOrThrow({ where: { id: snapshotId } })).summary as { diff: { newFindings: number; resolvedFindings: number } };
    expect(summary.diff).toMatchObject({ newFindings: changes.newCount, resolvedFindings: changes.resolvedCount });
  });

  it("shows one resource's findings with their field paths", async () => {
    const view = await listResourceFindings({ scope, clusterId, resource: { kind: "Deployment", namespace: "shop", name: "legacy-0" } });
    expect(view.resource.apiVersion).toBe("apps/v1");
    expect(view.findings.length).toBeGreaterThan(2);
    expect(view.findings.every((f) => f.resource.name === "legacy-0" && f.resource.namespace === "shop")).toBe(true);
    expect(view.findings.map((f) => f.path)).toContain("spec.template.spec.containers[0].securityContext.privileged");
    expect(view.counts.fail).toBe(view.findings.filter((f) => f.status === "FAIL").length);
    const hardened = await listResourceFindings({ scope, clusterId, resource: { kind: "Deployment", namespace: "shop", name: "web-0" } });
    expect(hardened.findings.filter((f) => f.checkId === "privileged-container")).toHaveLength(0);
  });

  it("shows a check across the organization's clusters, with counts per cluster and its guide", async () => {
    const page = await listCheckFindings({ scope, checkId: "privileged-container" });
    expect(page.check).toMatchObject({ id: "privileged-container", severity: "critical", layer: 2 });
    expect(page.check.guide).toContain("## Fix");
    expect(page.clusters.map((c) => [c.name, c.count])).toEqual([
      ["prod", 4],
      ["staging", 1],
    ]);
    expect(page.total).toBe(5);
    expect(new Set(page.findings.map((f) => f.cluster.id))).toEqual(new Set([clusterId, otherClusterId]));
    await expect(listCheckFindings({ scope, checkId: "no-such-check" })).rejects.toMatchObject({ code: "not_found" });
  });

  it("gives one finding with a prefilled exception draft", async () => {
    const [first] = (await listClusterFindings({ scope, clusterId, filters: { check: "privileged-container" }, page: { limit: 1 } })).findings;
    const detail = await getFinding({ scope, findingId: first!.id });
    expect(detail.exceptionDraft).toEqual({ clusterId, checkId: "privileged-container", namespace: first!.resource.namespace, kind: "Deployment", namePattern: first!.resource.name });
    await expect(getFinding({ scope, findingId: "not-a-number" })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("exports", () => {
  it("writes CSV with a header, one line per finding, and spreadsheet formulas defused", async () => {
    const file = await exportClusterFindings({ scope, clusterId, format: "csv" });
    expect(file.contentType).toContain("text/csv");
    expect(file.filename).toMatch(/^ramparts-prod-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = file.body.trimEnd().split("\r\n");
    expect(lines[0]).toBe("severity,status,layer,check_id,check_title,api_version,kind,namespace,name,container,path,message,new,fingerprint,exception_id");
    expect(lines).toHaveLength((await scope.db.finding.count({ where: await findingsOf(scope, snapshotId) })) + 1);
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell('say "hi", then go')).toBe('"say ""hi"", then go"');
  });

  it("writes SARIF 2.1.0 with one rule per check and one result per finding, filters applied", async () => {
    const file = await exportClusterFindings({ scope, clusterId, format: "sarif", filters: { severity: "critical" } });
    const sarif = JSON.parse(file.body) as { version: string; runs: { tool: { driver: { rules: { id: string; help: { markdown: string } }[] } }; results: { ruleId: string; level: string; locations: { properties: { path: string } }[] }[] }[] };
    expect(sarif.version).toBe("2.1.0");
    const run = sarif.runs[0]!;
    const critical = await scope.db.finding.count({ where: { ...(await findingsOf(scope, snapshotId)), severity: "CRITICAL" } });
    expect(run.results).toHaveLength(critical);
    expect(run.results.every((r) => r.level === "error" || r.level === "note")).toBe(true);
    expect(new Set(run.results.map((r) => r.ruleId))).toEqual(new Set(run.tool.driver.rules.map((r) => r.id)));
    expect(run.tool.driver.rules.find((r) => r.id === "privileged-container")?.help.markdown).toContain("## Fix");
    expect(run.results.find((r) => r.ruleId === "privileged-container")?.locations[0]?.properties.path).toBe("spec.template.spec.containers[0].securityContext.privileged");
  });

  it("writes JSON with the cluster's score beside the findings", async () => {
    const file = await exportClusterFindings({ scope, clusterId, format: "json" });
    const json = JSON.parse(file.body) as { cluster: { name: string }; snapshot: { id: string; score: number }; findings: unknown[] };
    expect(json.cluster.name).toBe("prod");
    expect(json.snapshot.id).toBe(snapshotId);
    expect(json.findings).toHaveLength(await scope.db.finding.count({ where: await findingsOf(scope, snapshotId) }));
  });
});
