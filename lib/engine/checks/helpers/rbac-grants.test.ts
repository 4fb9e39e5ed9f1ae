import { describe, expect, it } from "vitest";
import { buildInventory } from "@/lib/engine/inventory/inventory";
import { parseManifests } from "@/lib/engine/inputs/parse-manifests";
import { evaluate } from "@/lib/engine/evaluate/evaluate";
import { bindingReach, isExcludedSubject } from "@/lib/engine/checks/helpers/rbac-grants";
import { rbacSecretsAccess } from "@/lib/engine/checks/2-rbac-admission/rbac-secrets-access";
import { rbacWildcardRules } from "@/lib/engine/checks/2-rbac-admission/rbac-wildcard-rules";
import { getAllowsWebsocketExec } from "@/lib/engine/checks/2-rbac-admission/rbac-pod-exec";

const NOW = "2026-11-01T00:00:00Z";
const objects = (...docs: string[]) => parseManifests(docs.join("\n---\n"), "rbac.yaml").objects;

describe("RBAC subjects the permission checks skip", () => {
  const inv = buildInventory([]);
  const excluded = (kind: string, name: string, namespace?: string) => isExcludedSubject({ kind, name, namespace }, inv);

  it("skips the control plane, nodes and ServiceAccounts of system namespaces", () => {
    expect(excluded("User", "system:kube-controller-manager")).toBe(true);
    expect(excluded("Group", "system:masters")).toBe(true);
    expect(excluded("Group", "system:nodes")).toBe(true);
    expect(excluded("ServiceAccount", "replicaset-controller", "kube-system")).toBe(true);
    expect(excluded("User", "system:serviceaccount:kube-system:generic-garbage-collector")).toBe(true);
    expect(excluded("Group", "system:serviceaccounts:kube-system")).toBe(true);
  });

  it("keeps people, application ServiceAccounts and the catch-all groups in scope", () => {
    expect(excluded("User", "alice@example.com")).toBe(false);
    expect(excluded("ServiceAccount", "deployer", "ci")).toBe(false);
    expect(excluded("User", "system:serviceaccount:ci:deployer")).toBe(false);
    expect(excluded("Group", "system:serviceaccounts")).toBe(false);
    expect(excluded("Group", "system:serviceaccounts:shop")).toBe(false);
    expect(excluded("Group", "system:authenticated")).toBe(false);
    expect(excluded("User", "system:anonymous")).toBe(false);
  });

  it("follows the skipNamespaces option", () => {
    const custom = buildInventory([], { skipNamespaces: ["platform"] });
    expect(isExcludedSubject({ kind: "ServiceAccount", name: "x", namespace: "platform" }, custom)).toBe(true);
    expect(isExcludedSubject({ kind: "ServiceAccount", name: "x", namespace: "kube-system" }, custom)).toBe(false);
  });
});

describe("binding reach", () => {
  it("tells cluster-wide, system-namespace and application-namespace bindings apart", () => {
    const inv = buildInventory(
      objects(
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: a}\nroleRef: {kind: ClusterRole, name: x}",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: kube-system}\nroleRef: {kind: ClusterRole, name: x}",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: c, namespace: shop}\nroleRef: {kind: ClusterRole, name: x}",
      ),
    );
    expect(Object.fromEntries(inv.rbac.bindings.map((b) => [b.name, bindingReach(b, inv)]))).toEqual({ a: "cluster", b: "system-namespace", c: "namespace" });
  });
});

describe("evaluateRoleRules through the checks", () => {
  it("reads aggregated rules as a live cluster returns them (on the aggregate role)", () => {
    const report = evaluate(
      {
        objects: objects(
          "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: ops}\naggregationRule:\n  clusterRoleSelectors: [{matchLabels: {agg: 'true'}}]\nrules:\n  - {apiGroups: [''], resources: [pods], verbs: [get]}\n  - {apiGroups: [''], resources: [secrets], verbs: [list]}",
          "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: ops-secrets, labels: {agg: 'true'}}\nrules:\n  - {apiGroups: [''], resources: [secrets], verbs: [list]}",
          "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: ops}\nroleRef: {kind: ClusterRole, name: ops}\nsubjects: [{kind: Group, name: ops}]",
        ),
      },
      { now: NOW, checks: [rbacSecretsAccess] },
    );
    expect(report.findings.map((f) => `${f.resource.name} ${f.path}`)).toEqual(["ops rules[1].verbs"]);
    // The source role is not bound by itself: not evaluated.
    expect(report.checks[0]!.counts).toMatchObject({ fail: 1, pass: 0, notApplicable: 1 });
  });

  it("counts each declaring role once, whatever the number of bindings, and lists the holders", () => {
    const bindings = Array.from({ length: 5 }, (_, i) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: b${i}}\nroleRef: {kind: ClusterRole, name: star}\nsubjects: [{kind: User, name: user${i}}]`);
    const report = evaluate(
      { objects: objects("apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: star}\nrules:\n  - {apiGroups: ['*'], resources: ['*'], verbs: ['*']}", ...bindings) },
      { now: NOW, checks: [rbacWildcardRules] },
    );
    expect(report.checks[0]!.counts.fail).toBe(1);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]!.message).toContain("User user0 (ClusterRoleBinding b0, cluster-wide)");
    expect(report.findings[0]!.message).toMatch(/and 2 more$/);
  });

  it("lets a ClusterRole be exempted by annotation, keeping the finding visible", () => {
    const report = evaluate(
      {
        objects: objects(
          "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: eso, annotations: {ramparts.dev/exempt: rbac-secrets-access}}\nrules:\n  - {apiGroups: [''], resources: [secrets], verbs: [get, list, watch, create, update]}",
          "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: eso}\nroleRef: {kind: ClusterRole, name: eso}\nsubjects: [{kind: ServiceAccount, name: external-secrets, namespace: external-secrets}]",
        ),
      },
      { now: NOW, checks: [rbacSecretsAccess] },
    );
    expect(report.findings.map((f) => f.status)).toEqual(["excepted"]);
    expect(report.checks[0]!.counts).toMatchObject({ fail: 0, excepted: 1 });
  });
});

describe("WebSocket exec and the get verb", () => {
  it("needs create from Kubernetes 1.35 on; older or unknown versions let get exec", () => {
    expect(getAllowsWebsocketExec("v1.34.2")).toBe(true);
    expect(getAllowsWebsocketExec("v1.31.2-eks-1")).toBe(true);
    expect(getAllowsWebsocketExec(undefined)).toBe(true);
    expect(getAllowsWebsocketExec("v1.35.0")).toBe(false);
    expect(getAllowsWebsocketExec("1.36.1+k3s1")).toBe(false);
  });
});

describe("public-group bindings on OpenShift", () => {
  it("leaves the platform's reconciled bindings aside and still scores the cluster", async () => {
    const { rbacAuthenticatedAccess } = await import("@/lib/engine/checks/2-rbac-admission/rbac-authenticated-access");
    const yaml = [
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: self-provisioner}\nrules:\n  - {apiGroups: [project.openshift.io], resources: [projectrequests], verbs: [create]}",
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: self-provisioners\n  annotations: {rbac.authorization.kubernetes.io/autoupdate: 'true'}\nroleRef: {kind: ClusterRole, name: self-provisioner}\nsubjects: [{kind: Group, name: 'system:authenticated'}]",
    ].join("\n---\n");
    const openshift = evaluate({ objects: objects(yaml), cluster: { provider: "openshift" } }, { now: NOW, checks: [rbacAuthenticatedAccess] });
    expect(openshift.findings).toEqual([]);
    expect(openshift.checks[0]!.counts).toMatchObject({ pass: 1, notApplicable: 1 });
    const elsewhere = evaluate({ objects: objects(yaml) }, { now: NOW, checks: [rbacAuthenticatedAccess] });
    expect(elsewhere.findings.map((f) => f.path)).toEqual(["subjects[0]"]);
  });
});
