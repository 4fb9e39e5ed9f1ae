import { describe, expect, it } from "vitest";
import { evalCalicoSelector } from "@/lib/engine/checks/helpers/default-deny";
import { evaluate } from "@/lib/engine/evaluate/evaluate";
import { parseManifests } from "@/lib/engine/inputs/parse-manifests";
import { defaultDenyIngress } from "@/lib/engine/checks/3-network/default-deny-ingress";
import { runtimeDetectorCoverage } from "@/lib/engine/checks/5-runtime-audit/runtime-detector-coverage";
import { runtimeDetector } from "@/lib/engine/checks/5-runtime-audit/runtime-detector";

const NOW = "2026-11-01T00:00:00Z";
const deployment = (ns: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app, namespace: ${ns}}\nspec:\n  template:\n    spec:\n      containers: [{name: a, image: x}]`;

describe("Calico namespace selectors", () => {
  it("evaluates the forms used for namespace selection, and refuses the rest", () => {
    const labels = { "projectcalico.org/name": "shop", env: "prod" };
    expect(evalCalicoSelector("all()", labels)).toBe(true);
    expect(evalCalicoSelector('has(projectcalico.org/name) && projectcalico.org/name not in {"kube-system"}', labels)).toBe(true);
    expect(evalCalicoSelector("projectcalico.org/name not in {'shop', 'x'}", labels)).toBe(false);
    expect(evalCalicoSelector('env == "prod"', labels)).toBe(true);
    expect(evalCalicoSelector('env != "prod"', labels)).toBe(false);
    expect(evalCalicoSelector("!has(team)", labels)).toBe(true);
    expect(evalCalicoSelector("env == 'prod' || env == 'dev'", labels)).toBeUndefined();
  });
});

describe("default-deny-ingress edge cases", () => {
  it("counts a BaselineAdminNetworkPolicy that denies ingress from every namespace", () => {
    const input = parseManifests(
      [
        deployment("shop"),
        "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  subject:\n    namespaces: {}\n  ingress:\n    - {name: deny-all, action: Deny, from: [{namespaces: {}}]}",
      ].join("\n---\n"),
      "banp.yaml",
    );
    expect(evaluate(input, { now: NOW, checks: [defaultDenyIngress] }).checks[0]!.counts).toMatchObject({ pass: 1, fail: 0 });
  });

  it("reports unknown, not fail, when a Calico global policy's namespace selector cannot be evaluated", () => {
    const input = parseManifests(
      [deployment("shop"), "apiVersion: crd.projectcalico.org/v1\nkind: GlobalNetworkPolicy\nmetadata: {name: gnp}\nspec:\n  namespaceSelector: env == 'prod' || env == 'dev'\n  types: [Ingress]"].join("\n---\n"),
      "gnp.yaml",
    );
    const r = evaluate(input, { now: NOW, checks: [defaultDenyIngress] });
    expect(r.checks[0]!.counts).toMatchObject({ unknown: 1, fail: 0 });
  });

  it("does not count a policy whose ingress allows everything on some ports only as allow-all", () => {
    const input = parseManifests(
      [deployment("shop"), "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  podSelector: {}\n  ingress: [{ports: [{port: 443}]}]"].join("\n---\n"),
      "np.yaml",
    );
    expect(evaluate(input, { now: NOW, checks: [defaultDenyIngress] }).checks[0]!.counts).toMatchObject({ pass: 1 });
  });
});

describe("runtime-detector edge cases", () => {
  it("fails on the cluster when no detector is installed", () => {
    const r = evaluate(parseManifests(deployment("shop"), "d.yaml"), { now: NOW, checks: [runtimeDetector] });
    expect(r.findings).toEqual([expect.objectContaining({ status: "fail", resource: { apiVersion: "ramparts.dev/v1", kind: "Cluster", name: "cluster" }, path: "metadata.name" })]);
  });

  it("judges whether the detector runs; a DaemonSet on 2 of 3 nodes is runtime-detector-coverage's finding, not a second one here", () => {
    const nodes = ["a", "b", "c"].map((n) => `apiVersion: v1\nkind: Node\nmetadata: {name: ${n}}`);
    const ds = (status: string) => `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: falco, namespace: falco}\nspec:\n  template:\n    spec:\n      containers: [{name: f, image: falcosecurity/falco:0.39.0}]\nstatus: ${status}`;
    const run = (status: string) => evaluate(parseManifests([...nodes, ds(status)].join("\n---\n"), "r.yaml"), { now: NOW, checks: [runtimeDetector, runtimeDetectorCoverage] });
    const partial = run("{desiredNumberScheduled: 2, numberReady: 2, numberAvailable: 2}");
    expect(partial.findings.map((f) => f.checkId)).toEqual(["runtime-detector-coverage"]);
    const notRunning = run("{desiredNumberScheduled: 3, numberReady: 0}");
    expect(notRunning.findings.find((f) => f.checkId === "runtime-detector")).toMatchObject({ status: "fail", path: "status.numberReady", message: expect.stringMatching(/none of its 3 pods is ready/) });
  });
});
