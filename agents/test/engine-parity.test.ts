/**
 * The agent's snapshots feed the same engine as `ramparts scan`:
 * - `collect --from-file` on a cluster's files gives the same findings as scanning the files
 *   (for every example under examples/, and for our own fixture cluster meanwhile);
 * - the agent's own manifests (agents/deploy, and the chart with its options) have no failure
 *   in layers 1 and 2. Both get stricter as checks land in the engine's catalog.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { stringify as toYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { evaluate } from "@/lib/engine/evaluate/evaluate";
import { readInputs } from "@/lib/engine/io/read-inputs";
import type { EngineInput } from "@/lib/engine/model/engine-input";
import { parseText } from "@/lib/engine/io/read-inputs";
import { isClosedWorld, snapshotV1Schema } from "@/lib/snapshot/schema";
import { REDACTED } from "@/lib/snapshot/redaction";
import { collectFromFile } from "../src/collect/collect-from-file";
import { isSensitiveName } from "../src/redact/credential-patterns";
import { createMemoryLogger } from "../src/log/logger";
import { SnapshotFileSink } from "../src/snapshot/snapshot-sink";
import { DEPLOY_FILE, renderChart } from "../tools/render-chart";
import { asKubectlList, buildCluster } from "./support/cluster-fixture";

const NOW = "2026-11-01T00:00:00Z";
const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * A finding's identity and verdict. Messages may differ: a check that knows a value was redacted
 * by the agent says so, where scanning the file itself could quote what it saw.
 */
function findingKeys(input: EngineInput): string[] {
  const report = evaluate(input, { now: NOW });
  return report.findings.map((f) => JSON.stringify([f.checkId, f.status, f.resource, f.container, f.path])).sort();
}

/** Values in the input that must never reach a snapshot: Secret data and sensitive-looking env values. */
function secretValues(input: EngineInput): string[] {
  const out: string[] = [];
  const walk = (value: unknown, key: string): void => {
    if (Array.isArray(value)) {
      if (key === "env") for (const e of value as Array<{ name?: string; value?: unknown }>) if (typeof e?.value === "string" && e.value.length >= 8 && isSensitiveName(e.name ?? "")) out.push(e.value);
      value.forEach((v) => walk(v, ""));
    } else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  for (const object of input.objects) {
    if (object.kind === "Secret") {
      for (const field of ["data", "stringData"]) {
        for (const v of Object.values(((object as Record<string, unknown>)[field] ?? {}) as Record<string, string>)) {
          if (typeof v !== "string" || v.length < 8) continue;
          out.push(v);
          if (field === "data") out.push(Buffer.from(v, "base64").toString("utf8"));
        }
      }
    }
    walk(object, "");
  }
  // A value found elsewhere in the input too (a password "postgres" beside an image "postgres:13")
  // proves nothing by its presence: the structural checks in viaAgent cover those.
  const text = JSON.stringify(input.objects);
  const occurrences = (v: string) => text.split(v).length - 1;
  return [...new Set(out)].filter((v) => v.length >= 8 && occurrences(v) <= 1 + occurrences(Buffer.from(v).toString("base64")));
}

/** Every env value and every Secret/ConfigMap data value in the snapshot is redacted. */
function assertValuesRedacted(objects: unknown[]): void {
  const bad: string[] = [];
  const walk = (value: unknown, key: string, where: string): void => {
    if (Array.isArray(value)) {
      if (key === "env") for (const e of value as Array<{ name?: string; value?: unknown }>) if (typeof e?.value === "string" && e.value !== "" && e.value !== REDACTED) bad.push(`${where} env ${e.name}`);
      value.forEach((v) => walk(v, "", where));
    } else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, k, where);
  };
  for (const object of objects as Array<{ kind: string; metadata: { name: string; namespace?: string }; data?: Record<string, string>; stringData?: Record<string, string> }>) {
    const where = `${object.kind} ${object.metadata.namespace ?? ""}/${object.metadata.name}`;
    if (object.kind === "Secret" || (object.kind === "ConfigMap" && !["cilium-config", "kubeadm-config", "istio"].includes(object.metadata.name))) {
      for (const [k, v] of Object.entries({ ...object.data, ...object.stringData })) if (v !== REDACTED) bad.push(`${where} ${k}`);
    }
    walk(object, "", where);
  }
  expect(bad).toEqual([]);
}

async function viaAgent(target: string, mustNotContain: string[] = []): Promise<EngineInput> {
  const output = path.join(mkdtempSync(path.join(os.tmpdir(), "agent-parity-")), "snapshot.json");
  await collectFromFile({ target, sink: new SnapshotFileSink(output), log: createMemoryLogger(), agentVersion: "0.1.0" });
  const text = readFileSync(output, "utf8");
  expect(mustNotContain.filter((secret) => text.includes(secret))).toEqual([]);
  const snapshot = snapshotV1Schema.parse(JSON.parse(text));
  assertValuesRedacted(snapshot.objects);
  // The engine's own reader of snapshot files (it applies the closed-world rule for file snapshots).
  expect(isClosedWorld(snapshot)).toBe(true);
  return parseText(text, output);
}

function exampleTargets(): string[] {
  const dir = path.join(ROOT, "examples");
  try {
    const hasManifests = (p: string): boolean => (statSync(p).isDirectory() ? readdirSync(p).some((name) => hasManifests(path.join(p, name))) : /\.(ya?ml|json)$/.test(p));
    // An example folder without manifests yet (being written) is not a target.
    return readdirSync(dir).map((name) => path.join(dir, name)).filter(hasManifests);
  } catch {
    return [];
  }
}

function fixtureTargets(): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), "agent-parity-fixture-"));
  const cluster = buildCluster({ appNamespaces: 4, deploymentsPerNamespace: 4, podsPerDeployment: 2, flavor: "kubeadm" });
  const json = path.join(dir, "kubectl-get-all.json");
  writeFileSync(json, JSON.stringify(asKubectlList(cluster)));
  const manifests = path.join(dir, "manifests");
  mkdirSync(manifests);
  cluster.resources.forEach((r, i) => {
    if (r.items.length > 0) writeFileSync(path.join(manifests, `${String(i).padStart(2, "0")}-${r.resource}.yaml`), r.items.map((o) => toYaml(o)).join("---\n"));
  });
  return [json, manifests];
}

describe("collect --from-file gives the same findings as scanning the files", () => {
  const targets = [...exampleTargets(), ...fixtureTargets()];
  it.each(targets.map((t) => [path.relative(ROOT, t) || t, t]))("%s", async (_label, target) => {
    const scanned = await readInputs(target);
    const direct = findingKeys(scanned);
    // The snapshot carries no Secret value and no sensitive env value of the input.
    const agent = findingKeys(await viaAgent(target, secretValues(scanned)));
    expect(agent).toEqual(direct);
  });

  it("the fixture cluster has findings and secrets to compare (the comparison is not vacuous)", async () => {
    const [json] = fixtureTargets();
    const input = await readInputs(json as string);
    expect(findingKeys(input).length).toBeGreaterThan(0);
    expect(secretValues(input).length).toBeGreaterThanOrEqual(2);
  });
});

describe("the agent's own manifests pass the engine", () => {
  /**
   * Checks whose verdict on the agent's workload depends on the rest of the cluster, not on the
   * manifests: whether the cluster's signature verifier covers our registry (operators add
   * ghcr.io/ramparts/agent to their verifyImages policy, docs/agent.md), and whether a scanner has
   * reported on the image yet (Trivy reports on workloads once they run).
   */
  const DEPENDS_ON_THE_CLUSTER = new Set(["image-signature-verification", "vulnerability-scanning"]);

  /** Installed into the hardened example cluster: the failures in layers 1 and 2 on the agent's own objects. */
  async function agentFailuresInLayers12(agentObjects: EngineInput["objects"]): Promise<string[]> {
    const cluster = await readInputs(path.join(ROOT, "examples", "hardened-cluster"));
    const own = new Set(agentObjects.map((o) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`));
    return evaluate({ ...cluster, objects: [...cluster.objects, ...agentObjects] }, { now: NOW })
      .findings.filter((f) => f.status === "fail" && (f.layer === 1 || f.layer === 2) && !DEPENDS_ON_THE_CLUSTER.has(f.checkId))
      .filter((f) => own.has(`${f.resource.kind}/${f.resource.namespace ?? ""}/${f.resource.name}`))
      .map((f) => `${f.checkId} ${f.resource.kind}/${f.resource.name} ${f.path}: ${f.message}`);
  }

  it("agents/deploy has no failure in layers 1 and 2", async () => {
    const input = await readInputs(DEPLOY_FILE);
    expect(input.objects.some((o) => o.kind === "CronJob")).toBe(true);
    expect(await agentFailuresInLayers12(input.objects)).toEqual([]);
  });

  it("nor does the chart rendered with its options", async () => {
    const text = renderChart({ values: { proxy: { https: "http://proxy:3128" }, caBundle: { configMap: "ca" }, image: { digest: `sha256:${"b".repeat(64)}` }, namespace: { create: true } } });
    expect(await agentFailuresInLayers12(parseText(text, "chart").objects)).toEqual([]);
  });

  it("would fail if the manifests were weakened (the check is not vacuous)", async () => {
    const input = await readInputs(DEPLOY_FILE);
    const text = JSON.stringify(input.objects);
    expect(text).toContain('"allowPrivilegeEscalation":false');
    const weakened = JSON.parse(text.replace(/"allowPrivilegeEscalation":false/g, '"allowPrivilegeEscalation":true')) as EngineInput["objects"];
    expect((await agentFailuresInLayers12(weakened)).some((f) => f.startsWith("privilege-escalation"))).toBe(true);
  });
});
