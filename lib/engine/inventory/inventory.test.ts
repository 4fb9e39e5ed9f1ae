import { describe, expect, it } from "vitest";
import { buildInventory } from "@/lib/engine/inventory/inventory";
import { effectiveSecurityContext } from "@/lib/engine/inventory/security-context";
import { parseManifests } from "@/lib/engine/inputs/parse-manifests";
import type { KubeObject } from "@/lib/snapshot/schema";

const yaml = (text: string): KubeObject[] => parseManifests(text, "t.yaml").objects;

const podOf = (name: string, owner?: { kind: string; name: string; uid?: string }, labels?: Record<string, string>) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "shop", ...(labels ? { labels } : {}), ...(owner ? { ownerReferences: [{ apiVersion: "apps/v1", controller: true, ...owner }] } : {}) },
  spec: { containers: [{ name: "app", image: "x" }] },
});
const template = { template: { spec: { containers: [{ name: "app", image: "x" }] } } };

describe("ownership rollup", () => {
  it("rolls Pod -> ReplicaSet -> Deployment up to the Deployment, once, by uid", () => {
    const inv = buildInventory([
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop", uid: "d1" }, spec: template },
      { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "web-abc", namespace: "shop", uid: "r1", ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "d1", controller: true }] }, spec: template },
      podOf("web-abc-1", { kind: "ReplicaSet", name: "web-abc", uid: "r1" }),
      podOf("web-abc-2", { kind: "ReplicaSet", name: "web-abc", uid: "r1" }),
    ] as KubeObject[]);
    expect(inv.workloads.map((w) => `${w.kind}/${w.name}`)).toEqual(["Deployment/web"]);
    expect(inv.workloads[0]!.pods.map((p) => p.metadata.name)).toEqual(["web-abc-1", "web-abc-2"]);
    expect(inv.containers).toHaveLength(1);
    const pod = inv.ofKind("Pod")[0]!;
    expect(inv.workloadOf(pod)?.name).toBe("web");
  });

  it("reaches the Deployment when the agent left the ReplicaSet out (pod-template-hash)", () => {
    const inv = buildInventory([
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop" }, spec: template },
      podOf("web-5d4f8c-xyz", { kind: "ReplicaSet", name: "web-5d4f8c" }, { "pod-template-hash": "5d4f8c" }),
    ] as KubeObject[]);
    expect(inv.workloads.map((w) => w.name)).toEqual(["web"]);
  });

  it("rolls Pod -> Job -> CronJob up to the CronJob, also without the Job", () => {
    const cron = { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "report", namespace: "shop" }, spec: { jobTemplate: { spec: template } } };
    const job = { apiVersion: "batch/v1", kind: "Job", metadata: { name: "report-28000000", namespace: "shop", ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: "report", controller: true }] }, spec: template };
    const withJob = buildInventory([cron, job, podOf("report-28000000-q", { kind: "Job", name: "report-28000000" })] as KubeObject[]);
    expect(withJob.workloads.map((w) => `${w.kind}/${w.name}`)).toEqual(["CronJob/report"]);
    expect(withJob.workloads[0]!.podSpecPath).toBe("spec.jobTemplate.spec.template.spec");
    const withoutJob = buildInventory([cron, podOf("report-28000001-q", { kind: "Job", name: "report-28000001" })] as KubeObject[]);
    expect(withoutJob.workloads.map((w) => `${w.kind}/${w.name}`)).toEqual(["CronJob/report"]);
  });

  it("keeps pods whose owner is absent or has no pod template (operators, static pods) as their own workloads", () => {
    const inv = buildInventory([
      { apiVersion: "monitoring.coreos.com/v1", kind: "Prometheus", metadata: { name: "k8s", namespace: "shop", uid: "p1" }, spec: {} },
      { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "prometheus-k8s", namespace: "shop", uid: "s1", ownerReferences: [{ apiVersion: "monitoring.coreos.com/v1", kind: "Prometheus", name: "k8s", uid: "p1", controller: true }] }, spec: template },
      podOf("prometheus-k8s-0", { kind: "StatefulSet", name: "prometheus-k8s", uid: "s1" }),
      podOf("orphan", { kind: "ReplicaSet", name: "gone-123" }),
    ] as KubeObject[]);
    expect(inv.workloads.map((w) => `${w.kind}/${w.name}`).sort()).toEqual(["Pod/orphan", "StatefulSet/prometheus-k8s"]);
  });

  it("treats custom kinds with a pod template (Argo Rollouts) as workloads", () => {
    const inv = buildInventory(yaml("apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r, namespace: shop}\nspec:\n  template:\n    spec:\n      containers: [{name: a, image: x}]\n"));
    expect(inv.workloads[0]).toMatchObject({ kind: "Rollout", podSpecPath: "spec.template.spec" });
    expect(inv.containers[0]!.path).toBe("spec.template.spec.containers[0]");
  });

  it("gives every container kind its exact path", () => {
    const inv = buildInventory(yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  initContainers: [{name: i, image: x}]\n  containers: [{name: a, image: x}, {name: b, image: x}]\n  ephemeralContainers: [{name: e, image: x}]\n"));
    expect(inv.containers.map((c) => `${c.name}=${c.path}`)).toEqual([
      "a=spec.containers[0]",
      "b=spec.containers[1]",
      "i=spec.initContainers[0]",
      "e=spec.ephemeralContainers[0]",
    ]);
  });
});

describe("namespaces", () => {
  it("includes namespaces only referenced, defaults namespaced manifests to default, and skips system namespaces", () => {
    const inv = buildInventory(yaml([
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: a}}",
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec:\n  template:\n    spec:\n      containers: [{name: a, image: x}]",
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: referenced-only}",
      "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: kp, namespace: kube-system}\nspec:\n  template:\n    spec:\n      containers: [{name: a, image: x}]",
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}",
    ].join("\n---\n")));
    expect(inv.namespaces.map((n) => n.name)).toEqual(["default", "referenced-only", "shop"]);
    expect(inv.allNamespaces.map((n) => n.name)).toContain("kube-system");
    expect(inv.namespace("shop")?.labels).toEqual({ team: "a" });
    expect(inv.namespace("referenced-only")?.object).toBeUndefined();
    expect(inv.namespace("default")?.workloadCount).toBe(1);
    expect(inv.workloads.map((w) => w.name)).toEqual(["x"]);
    expect(inv.allWorkloads.map((w) => w.name)).toEqual(["x", "kp"]);
    expect(inv.namespaceOf(inv.ofKind("ClusterRole")[0]!)).toBeUndefined();
  });

  it("honours a custom skip list", () => {
    const inv = buildInventory(yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: tools}\nspec:\n  containers: [{name: a, image: x}]"), { skipNamespaces: ["tools"] });
    expect(inv.workloads).toEqual([]);
    expect(inv.isSkippedNamespace("kube-system")).toBe(false);
  });

  it("keeps the last of duplicate definitions, like kubectl apply, and warns", () => {
    const inv = buildInventory(yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec: {containers: [{name: old, image: x}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec: {containers: [{name: new, image: x}]}"));
    expect(inv.containers.map((c) => c.name)).toEqual(["new"]);
    expect(inv.warnings[0]?.message).toMatch(/Pod a\/p is defined more than once/);
  });
});

describe("effective security context", () => {
  const ctxOf = (text: string) => {
    const inv = buildInventory(yaml(text));
    return inv.containers.map((c) => effectiveSecurityContext(c));
  };

  it("lets the container override inheritable pod fields and reports where each value comes from", () => {
    const [a, b] = ctxOf([
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: ns}\nspec:\n  template:\n    spec:",
      "      securityContext: {runAsNonRoot: true, runAsUser: 1000, seccompProfile: {type: RuntimeDefault}}",
      "      containers:",
      "        - {name: a, image: x, securityContext: {runAsUser: 0, seccompProfile: {type: Unconfined}}}",
      "        - {name: b, image: x}",
    ].join("\n"));
    expect(a!.runAsUser).toEqual({ value: 0, path: "spec.template.spec.containers[0].securityContext.runAsUser", setAt: "container" });
    expect(a!.seccompProfileType).toMatchObject({ value: "Unconfined", setAt: "container" });
    expect(a!.runAsNonRoot).toEqual({ value: true, path: "spec.template.spec.securityContext.runAsNonRoot", setAt: "pod" });
    expect(b!.runAsUser).toEqual({ value: 1000, path: "spec.template.spec.securityContext.runAsUser", setAt: "pod" });
    expect(b!.seccompProfileType.value).toBe("RuntimeDefault");
  });

  it("never inherits container-only fields from the pod, and points unset ones at the container", () => {
    const [a] = ctxOf("apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec:\n  securityContext: {privileged: true}\n  containers: [{name: a, image: x}]");
    expect(a!.privileged).toEqual({ value: undefined, path: "spec.containers[0].securityContext.privileged", setAt: "unset" });
    expect(a!.runAsNonRoot).toEqual({ value: undefined, path: "spec.securityContext.runAsNonRoot", setAt: "unset" });
  });

  it("ignores values of the wrong type rather than trusting them", () => {
    const [a] = ctxOf('apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec:\n  containers: [{name: a, image: x, securityContext: {privileged: "true", runAsUser: "0", capabilities: {drop: [ALL, 3]}}}]');
    expect(a!.privileged.value).toBeUndefined();
    expect(a!.runAsUser.value).toBeUndefined();
    expect(a!.capabilitiesDrop.value).toEqual(["ALL"]);
  });
});

describe("lookups", () => {
  const inv = buildInventory(
    yaml(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: a}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: b}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: dns}
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sPSPPrivilegedContainer
metadata: {name: no-privileged}
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sRequiredLabels
metadata: {name: owner}
---
apiVersion: cilium.io/v2
kind: NetworkPolicy
metadata: {name: deny, namespace: a}
`),
  );

  it("ofTypeIn returns one namespace's objects of a type (no namespace means default)", () => {
    expect(inv.ofTypeIn("networking.k8s.io", "NetworkPolicy", "a").map((o) => o.apiVersion)).toEqual(["networking.k8s.io/v1"]);
    expect(inv.ofTypeIn("networking.k8s.io", "NetworkPolicy", "default").map((o) => o.metadata.name)).toEqual(["dns"]);
    expect(inv.ofTypeIn("networking.k8s.io", "NetworkPolicy", "c")).toEqual([]);
    expect(inv.ofTypeIn("cilium.io", "NetworkPolicy", "a")).toHaveLength(1);
  });

  it("ofGroup returns every kind of a group", () => {
    expect(inv.ofGroup("constraints.gatekeeper.sh").map((o) => o.kind).sort()).toEqual(["K8sPSPPrivilegedContainer", "K8sRequiredLabels"]);
    expect(inv.ofGroup("kyverno.io")).toEqual([]);
  });

  it("get tells API groups apart and misses cleanly", () => {
    expect(inv.get("networking.k8s.io", "NetworkPolicy", "a", "deny")?.apiVersion).toBe("networking.k8s.io/v1");
    expect(inv.get("cilium.io", "NetworkPolicy", "a", "deny")?.apiVersion).toBe("cilium.io/v2");
    expect(inv.get("networking.k8s.io", "NetworkPolicy", "a", "missing")).toBeUndefined();
    expect(inv.get("apps", "Deployment", "a", "deny")).toBeUndefined();
  });
});
