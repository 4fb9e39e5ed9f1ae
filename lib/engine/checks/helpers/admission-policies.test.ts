import { describe, expect, it } from "vitest";
import { buildInventory } from "@/lib/engine/inventory/inventory";
import { parseManifests } from "@/lib/engine/inputs/parse-manifests";
import { evaluate } from "@/lib/engine/evaluate/evaluate";
import { gatekeeperMode, globMatch, kyvernoCheckRules, kyvernoRuleCoversPods } from "@/lib/engine/checks/helpers/admission-policies";
import { admissionPolicyEnforcement } from "@/lib/engine/checks/2-rbac-admission/admission-policy-enforcement";
import { podSecurityAdmission } from "@/lib/engine/checks/2-rbac-admission/pod-security-admission";
import { apiServerFlagSources } from "@/lib/engine/checks/helpers/api-server-flags";

const NOW = "2026-11-01T00:00:00Z";
const objects = (text: string) => parseManifests(text, "test.yaml").objects;

describe("Kyverno actions", () => {
  const [policy] = objects(`
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: p}
spec:
  validationFailureAction: Audit
  validationFailureActionOverrides:
    - {action: Enforce, namespaces: [prod]}
  rules:
    - name: a
      match: {any: [{resources: {kinds: [Pod]}}]}
      validate: {failureAction: Enforce, pattern: {}}
    - name: b
      match: {any: [{resources: {kinds: [Pod]}}]}
      verifyImages: [{imageReferences: ["*"], failureAction: Audit}, {imageReferences: ["x/*"]}]
`);
  it("prefers the rule's failureAction, then the spec's, and counts enforcing overrides", () => {
    const rules = kyvernoCheckRules(policy!);
    expect(rules.map((r) => [r.type, r.mode.enforcing, r.mode.path])).toEqual([
      ["validate", true, "spec.rules[0].validate.failureAction"],
      ["verifyImages", true, "spec.rules[1].verifyImages[0].failureAction"],
      ["verifyImages", true, "spec.validationFailureAction"],
    ]);
  });
});

describe("Kyverno rule coverage of a namespace's pods", () => {
  const inv = buildInventory(
    objects(`
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {tier: apps}}
---
apiVersion: v1
kind: Namespace
metadata: {name: team-b}
`),
  );
  const shop = inv.namespace("shop")!;
  const teamB = inv.namespace("team-b")!;
  const rule = (yaml: string) => (objects(`apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: p}\nspec:\n  rules:\n${yaml}`)[0] as unknown as { spec: { rules: Record<string, unknown>[] } }).spec.rules[0]!;
  const policy = objects("apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: p}")[0]!;

  it("matches by kinds, namespaces (globs), namespaceSelector, and honours namespace exclusions", () => {
    const byGlob = rule("    - match: {any: [{resources: {kinds: [Pod], namespaces: ['team-*']}}]}");
    expect(kyvernoRuleCoversPods(policy, byGlob, teamB, inv)).toBe(true);
    expect(kyvernoRuleCoversPods(policy, byGlob, shop, inv)).toBe(false);
    const bySelector = rule("    - match: {any: [{resources: {kinds: [v1/Pod], namespaceSelector: {matchLabels: {tier: apps}}}}]}");
    expect(kyvernoRuleCoversPods(policy, bySelector, shop, inv)).toBe(true);
    expect(kyvernoRuleCoversPods(policy, bySelector, teamB, inv)).toBe(false);
    const byName = rule("    - match: {any: [{resources: {kinds: [Pod], namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}}}]}");
    expect(kyvernoRuleCoversPods(policy, byName, shop, inv)).toBe(true);
    const excluded = rule("    - match: {any: [{resources: {kinds: [Pod]}}]}\n      exclude: {any: [{resources: {namespaces: [shop]}}]}");
    expect(kyvernoRuleCoversPods(policy, excluded, shop, inv)).toBe(false);
    expect(kyvernoRuleCoversPods(policy, excluded, teamB, inv)).toBe(true);
    // Excluding some users does not take the namespace out.
    const bySubject = rule("    - match: {any: [{resources: {kinds: [Pod]}}]}\n      exclude: {any: [{subjects: [{kind: User, name: admin}]}]}");
    expect(kyvernoRuleCoversPods(policy, bySubject, shop, inv)).toBe(true);
    const deployments = rule("    - match: {any: [{resources: {kinds: [Deployment]}}]}");
    expect(kyvernoRuleCoversPods(policy, deployments, shop, inv)).toBe(false);
  });
});

describe("Gatekeeper modes and globs", () => {
  it("reads deny by default, dryrun/warn as report-only, and scoped actions per enforcement point", () => {
    const mode = (spec: string) => gatekeeperMode(objects(`apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sX\nmetadata: {name: c}\nspec: ${spec}`)[0]!).enforcing;
    expect(mode("{}")).toBe(true);
    expect(mode("{enforcementAction: warn}")).toBe(false);
    expect(mode("{enforcementAction: scoped, scopedEnforcementActions: [{action: deny, enforcementPoints: [{name: validation.gatekeeper.sh}]}]}")).toBe(true);
    expect(mode("{enforcementAction: scoped, scopedEnforcementActions: [{action: deny, enforcementPoints: [{name: gator.gatekeeper.sh}]}]}")).toBe(false);
  });
  it("matches namespace patterns", () => {
    expect(globMatch("kube-*", "kube-system")).toBe(true);
    expect(globMatch("*-system", "gatekeeper-system")).toBe(true);
    expect(globMatch("shop", "shop-data")).toBe(false);
    expect(globMatch("a.b", "axb")).toBe(false);
  });
});

describe("admission-policy-enforcement without any engine", () => {
  it("fails on the cluster in a closed world", () => {
    const report = evaluate({ objects: objects("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}") }, { now: NOW, checks: [admissionPolicyEnforcement] });
    expect(report.findings.map((f) => [f.status, f.resource.kind, f.path])).toEqual([["fail", "Cluster", "metadata.name"]]);
  });
});

describe("API server flags", () => {
  it("reads kube-apiserver pods, kubeadm's ClusterConfiguration and k3s/RKE2 node-args", () => {
    const inv = buildInventory(
      objects(`
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver-a, namespace: kube-system, labels: {component: kube-apiserver}}
spec:
  containers:
    - name: kube-apiserver
      command: ["/bin/sh", "-c", "exec kube-apiserver --audit-log-path=/var/log/audit.log --audit-policy-file=/etc/audit.yaml"]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: kubeadm-config, namespace: kube-system}
data:
  ClusterConfiguration: |
    apiServer:
      extraArgs:
        - {name: audit-webhook-config-file, value: /etc/kubernetes/webhook.yaml}
---
apiVersion: v1
kind: Node
metadata:
  name: server-1
  annotations:
    rke2.io/node-args: '["server","--kube-apiserver-arg","audit-policy-file=/etc/rancher/audit.yaml","--profile","cis"]'
---
apiVersion: v1
kind: Node
metadata:
  name: agent-1
  annotations:
    k3s.io/node-args: '["agent","--server","https://10.0.0.1:6443"]'
`),
    );
    const sources = apiServerFlagSources(inv);
    expect(sources.map((s) => s.kind)).toEqual(["pod", "kubeadm-config", "node-args"]);
    expect(sources[0]!.flags.get("--audit-policy-file")).toEqual({ value: "/etc/audit.yaml", path: "spec.containers[0].command[2]" });
    expect(sources[1]!.flags.get("--audit-webhook-config-file")?.value).toBe("/etc/kubernetes/webhook.yaml");
    expect(sources[2]!.flags.get("--audit-policy-file")?.value).toBe("/etc/rancher/audit.yaml");
    expect(sources[2]!.flags.get("--profile")?.value).toBe("cis");
  });
});

describe("pod-security-admission on OpenShift", () => {
  it("accepts unlabelled namespaces: Security Context Constraints enforce pod security", () => {
    const report = evaluate(
      { objects: objects("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec: {containers: [{name: c, image: x}]}"), cluster: { provider: "openshift" } },
      { now: NOW, checks: [podSecurityAdmission] },
    );
    expect(report.findings).toEqual([]);
    expect(report.checks[0]!.counts.pass).toBe(1);
  });
});
