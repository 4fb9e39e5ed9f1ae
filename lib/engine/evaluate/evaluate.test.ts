import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { evaluate, evaluateStepwise, type CheckFindings } from "@/lib/engine/evaluate/evaluate";
import { parseManifests } from "@/lib/engine/inputs/parse-manifests";
import { ALL_CHECKS } from "@/lib/engine/checks/registry";
import { defineCheck, fail, pass } from "@/lib/engine/checks/define";
import { privilegedContainer } from "@/lib/engine/checks/2-rbac-admission/privileged-container";
import { defaultDenyIngress } from "@/lib/engine/checks/3-network/default-deny-ingress";
import { fingerprintOf } from "@/lib/engine/report/fingerprint";
import type { EngineInput } from "@/lib/engine/model/engine-input";
import type { KubeObject } from "@/lib/snapshot/schema";

const NOW = "2026-11-01T00:00:00Z";
const fixture = (rel: string) => parseManifests(readFileSync(`lib/engine/checks/${rel}`, "utf8"), rel);

/**
 * A mixed input: several exemplar fixtures, without their FixtureOptions documents.
 * Namespaces get a per-file suffix so no two files define the same object.
 */
function mixedInput(): EngineInput {
  const files = [
    "1-images/run-as-root.fail.yaml",
    "2-rbac-admission/privileged-container.fail.yaml",
    "2-rbac-admission/host-namespaces.fail.yaml",
    "2-rbac-admission/cluster-admin-binding.fail.yaml",
    "3-network/default-deny-ingress.fail.yaml",
    "3-network/default-deny-ingress.pass.yaml",
    "6-supply-chain/image-digest.fail.yaml",
  ];
  const objects: KubeObject[] = [];
  files.forEach((f, i) => {
    for (const o of fixture(f).objects) {
      if (o.kind === "FixtureOptions") continue;
      const ns = o.metadata.namespace;
      if (o.kind === "Namespace") objects.push({ ...o, metadata: { ...o.metadata, name: `${o.metadata.name}-f${i}` } });
      else if (ns !== undefined) objects.push({ ...o, metadata: { ...o.metadata, namespace: `${ns}-f${i}` } });
      else objects.push(o);
    }
  });
  return { objects };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe("evaluate", () => {
  it("marks a check unknown when a list it needs was forbidden, and lowers coverage", () => {
    const input: EngineInput = {
      objects: fixture("3-network/default-deny-ingress.fail.yaml").objects.filter((o) => o.kind !== "FixtureOptions"),
      coverage: [
        { group: "", version: "v1", resource: "pods", status: "ok" },
        { group: "networking.k8s.io", version: "v1", resource: "networkpolicies", status: "forbidden", message: "RBAC" },
      ],
    };
    const report = evaluate(input, { now: NOW, checks: [defaultDenyIngress, privilegedContainer] });
    const dd = report.checks.find((c) => c.id === "default-deny-ingress")!;
    expect(dd.status).toBe("unknown");
    expect(dd.counts).toMatchObject({ fail: 0, unknown: 1, pass: 0 });
    expect(report.findings.find((f) => f.checkId === "default-deny-ingress")).toMatchObject({
      status: "unknown",
      resource: { kind: "Cluster", name: "cluster" },
      path: null,
      message: "cannot evaluate: networkpolicies.networking.k8s.io could not be listed (forbidden)",
    });
    expect(report.coverage.unknownChecks).toEqual(["default-deny-ingress"]);
    expect(report.coverage.unavailable).toEqual([input.coverage![1]]);
    expect(report.coverage.ratio).toBeLessThan(1);
    expect(report.layers.find((l) => l.id === 3)).toMatchObject({ score: null, coverage: 0 });
    expect(report.target.mode).toBe("cluster");
  });

  it("treats a list the agent never collected as unknown, and an absent API (tool not installed) as empty", () => {
    const objects = fixture("3-network/default-deny-ingress.fail.yaml").objects.filter((o) => o.kind !== "FixtureOptions");
    const notCollected = evaluate({ objects, coverage: [] }, { now: NOW, checks: [defaultDenyIngress] });
    expect(notCollected.checks[0]!.status).toBe("unknown");
    expect(notCollected.findings[0]!.message).toMatch(/\(not-collected\)$/);
    const absentTools = evaluate(
      {
        objects,
        coverage: [
          { group: "networking.k8s.io", version: "v1", resource: "networkpolicies", status: "ok" },
          ...["ciliumnetworkpolicies", "ciliumclusterwidenetworkpolicies"].map((resource) => ({ group: "cilium.io", version: "v2", resource, status: "absent" as const })),
          ...["networkpolicies", "globalnetworkpolicies"].flatMap((resource) => [
            { group: "crd.projectcalico.org", version: "v1", resource, status: "absent" as const },
            { group: "projectcalico.org", version: "v3", resource, status: "absent" as const },
          ]),
          { group: "policy.networking.k8s.io", version: "v1alpha1", resource: "baselineadminnetworkpolicies", status: "absent" },
        ],
      },
      { now: NOW, checks: [defaultDenyIngress] },
    );
    expect(absentTools.checks[0]!.counts).toMatchObject({ fail: 5, unknown: 0 });
  });

  it("gives the same report whatever the order of the input objects", () => {
    const input = mixedInput();
    const baseline = evaluate(input, { now: NOW });
    fc.assert(
      fc.property(fc.shuffledSubarray(input.objects, { minLength: input.objects.length, maxLength: input.objects.length }), (objects) => {
        expect(evaluate({ objects }, { now: NOW })).toEqual(baseline);
      }),
      { numRuns: 25 },
    );
  });

  it("never lowers the score when one failing field is fixed", () => {
    const input = mixedInput();
    const before = evaluate(input, { now: NOW });
    const fixable = before.findings.filter((f) => f.checkId === "privileged-container" || f.checkId === "host-namespaces");
    expect(fixable.length).toBeGreaterThan(2);
    for (const finding of fixable) {
      const objects = input.objects.map((o) => {
        if (o.kind !== finding.resource.kind || o.metadata.name !== finding.resource.name || (o.metadata.namespace ?? "default") !== finding.resource.namespace) return o;
        const copy = structuredClone(o) as Record<string, unknown>;
        const segments = finding.path!.replace(/\[(\d+)\]/g, ".$1").split(".");
        let cur = copy as Record<string, unknown>;
        for (const s of segments.slice(0, -1)) cur = cur[s] as Record<string, unknown>;
        cur[segments.at(-1)!] = false;
        return copy as KubeObject;
      });
      const after = evaluate({ objects }, { now: NOW });
      expect(after.findings.some((f) => f.fingerprint === finding.fingerprint && f.status === "fail")).toBe(false);
      expect(after.score).toBeGreaterThanOrEqual(before.score);
    }
  });

  it("does not mutate its input and does not read the clock", () => {
    const input = deepFreeze(mixedInput());
    const a = evaluate(input, { now: NOW });
    const b = evaluate(input, { now: new Date(NOW) });
    expect(a).toEqual(b);
    expect(a.generatedAt).toBe("2026-11-01T00:00:00.000Z");
    expect(() => evaluate(input, { now: "not a date" })).toThrow(/options\.now/);
  });

  it("names resource, container, path and message in every failure, with unique fingerprints", () => {
    const report = evaluate(mixedInput(), { now: NOW });
    const fails = report.findings.filter((f) => f.status === "fail");
    expect(fails.length).toBeGreaterThan(10);
    for (const f of fails) {
      expect(f.resource.apiVersion).toBeTruthy();
      expect(f.path).toBeTruthy();
      expect(f.message).toBeTruthy();
    }
    const prints = report.findings.map((f) => f.fingerprint);
    expect(new Set(prints).size).toBe(prints.length);
    const priv = report.findings.find((f) => f.checkId === "privileged-container" && f.resource.name === "web")!;
    expect(priv).toMatchObject({ resource: { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop-f1", name: "web" }, container: "setup", path: "spec.template.spec.initContainers[0].securityContext.privileged" });
  });

  it("points findings at the file and line their resource came from", () => {
    const parsed = fixture("2-rbac-admission/privileged-container.fail.yaml");
    const report = evaluate(parsed, { now: NOW, checks: [privilegedContainer] });
    expect(report.findings.find((f) => f.resource.name === "web")!.source).toEqual({ file: "2-rbac-admission/privileged-container.fail.yaml", line: 9 });
    expect(report.target.mode).toBe("manifests");
  });

  it("keeps fingerprints stable across API versions and distinct across containers and paths", () => {
    const ref = { apiVersion: "apps/v1", kind: "Deployment", namespace: "a", name: "w" };
    const fp = fingerprintOf("privileged-container", ref, "app", "spec.template.spec.containers[0].securityContext.privileged");
    // Stored by the backend: the value of a given finding must never change.
    expect(fingerprintOf("privileged-container", { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "web" }, "app", "spec.template.spec.containers[0].securityContext.privileged")).toBe("09c0064336641a0798c18d1e9ae7");
    expect(fp).toMatch(/^[0-9a-f]{28}$/);
    expect(fingerprintOf("privileged-container", { ...ref, apiVersion: "apps/v1beta2" }, "app", "spec.template.spec.containers[0].securityContext.privileged")).toBe(fp);
    expect(fingerprintOf("privileged-container", ref, "sidecar", "spec.template.spec.containers[0].securityContext.privileged")).not.toBe(fp);
    expect(fingerprintOf("privileged-container", ref, "app", "spec.template.spec.containers[1].securityContext.privileged")).not.toBe(fp);
    expect(fingerprintOf("privileged-container", { ...ref, apiVersion: "argoproj.io/v1alpha1" }, "app", "spec.template.spec.containers[0].securityContext.privileged")).not.toBe(fp);
  });

  it("turns a crashing check into an unknown result and still runs the others", () => {
    const broken = defineCheck({ ...privilegedContainer, id: "broken", evaluate: () => { throw new Error("boom"); } });
    const report = evaluate(mixedInput(), { now: NOW, checks: [broken, privilegedContainer] });
    expect(report.findings.find((f) => f.checkId === "broken")).toMatchObject({ status: "unknown", message: "check failed to evaluate: boom" });
    expect(report.checks.find((c) => c.id === "privileged-container")!.counts.fail).toBeGreaterThan(0);
  });

  it("counts passes without listing them and reports every check with all reference keys", () => {
    const counter = defineCheck({
      ...privilegedContainer,
      id: "counter",
      evaluate(ctx) {
        ctx.record({ resource: ctx.inventory.workloads[0]!.object }, { status: "pass", count: 1000 });
        ctx.record({ resource: ctx.inventory.workloads[0]!.object }, fail("spec.x", "x"));
        ctx.record({ resource: ctx.inventory.workloads[0]!.object }, pass());
      },
    });
    const report = evaluate(mixedInput(), { now: NOW, checks: [counter] });
    expect(report.checks[0]!.counts).toMatchObject({ pass: 1001, fail: 1 });
    expect(report.findings).toHaveLength(1);
    expect(report.checks[0]!.references).toEqual({ cis: ["5.2.2"], nsa: ["Pod security: privileged containers"], kubescape: ["C-0057"], polaris: ["runAsPrivileged"] });
  });

  it("runs the whole registry by default, sorting findings by layer then severity", () => {
    const report = evaluate(mixedInput(), { now: NOW });
    expect(report.checks.map((c) => c.id)).toEqual(ALL_CHECKS.map((c) => c.id));
    const keys = report.findings.map((f) => f.layer);
    expect([...keys].sort((a, b) => a - b)).toEqual(keys);
    expect(report.layers.map((l) => l.id)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("hands over each check's findings in report order, and they add up to the report", () => {
    const input = mixedInput();
    const steps: CheckFindings[] = [];
    const it = evaluateStepwise(input, { now: NOW });
    let step = it.next();
    while (!step.done) {
      steps.push(step.value);
      step = it.next();
    }
    const report = step.value;
    // Every check once, each step holding only its own check's findings.
    expect(steps.map((s) => s.checkId).sort()).toEqual(ALL_CHECKS.map((c) => c.id).sort());
    for (const s of steps) expect(s.findings.every((f) => f.checkId === s.checkId)).toBe(true);
    const handedOver = steps.flatMap((s) => s.findings);
    expect(handedOver.length).toBeGreaterThan(10);
    expect(handedOver).toEqual(report.findings);
    // Report order: layer, then severity, then check; the summaries keep the registry's order.
    const rank = { critical: 0, high: 1, medium: 2, low: 3 } as const;
    for (let i = 1; i < handedOver.length; i++) {
      const a = handedOver[i - 1]!;
      const b = handedOver[i]!;
      const ordered = a.layer < b.layer || (a.layer === b.layer && (rank[a.severity] < rank[b.severity] || (rank[a.severity] === rank[b.severity] && a.checkId <= b.checkId)));
      expect(ordered, `${a.checkId} before ${b.checkId}`).toBe(true);
    }
    expect(report.checks.map((c) => c.id)).toEqual(ALL_CHECKS.map((c) => c.id));
    expect(evaluate(input, { now: NOW })).toEqual(report);
  });
});
