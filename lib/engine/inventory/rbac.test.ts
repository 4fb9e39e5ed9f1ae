import { describe, expect, it } from "vitest";
import { buildInventory } from "@/lib/engine/inventory/inventory";
import { isSystemSubject, ruleGrants } from "@/lib/engine/inventory/rbac";
import { parseManifests } from "@/lib/engine/inputs/parse-manifests";

const inv = buildInventory(
  parseManifests(
    [
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: monitoring}\naggregationRule:\n  clusterRoleSelectors: [{matchLabels: {rbac.example.com/aggregate-to-monitoring: 'true'}}]\nrules: []",
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: read-pods, labels: {rbac.example.com/aggregate-to-monitoring: 'true'}}\nrules:\n  - {apiGroups: [''], resources: [pods, pods/log], verbs: [get, list]}",
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: secrets-all}\nrules:\n  - {apiGroups: ['*'], resources: ['*'], verbs: ['*']}",
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: deployer, namespace: team-a}\nrules:\n  - {apiGroups: [apps], resources: [deployments], verbs: [create, update]}\n  - {apiGroups: [''], resources: [secrets], resourceNames: [app-config], verbs: [get]}",
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: deployer, namespace: team-a}\nroleRef: {kind: Role, name: deployer, apiGroup: rbac.authorization.k8s.io}\nsubjects: [{kind: ServiceAccount, name: ci}]",
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: mon}\nroleRef: {kind: ClusterRole, name: monitoring, apiGroup: rbac.authorization.k8s.io}\nsubjects: [{kind: ServiceAccount, name: prom, namespace: monitoring}, {kind: Group, name: sre}]",
      "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: dangling}\nroleRef: {kind: ClusterRole, name: does-not-exist, apiGroup: rbac.authorization.k8s.io}\nsubjects: [{kind: User, name: bob}]",
    ].join("\n---\n"),
    "rbac.yaml",
  ).objects,
);

describe("RBAC resolution", () => {
  it("joins bindings to roles and defaults ServiceAccount subjects to the binding's namespace", () => {
    const b = inv.rbac.bindings.find((x) => x.name === "deployer")!;
    expect(b.role?.name).toBe("deployer");
    expect(b.subjects).toEqual([{ kind: "ServiceAccount", name: "ci", namespace: "team-a", path: "subjects[0]" }]);
    expect(inv.rbac.bindingsOf({ kind: "ServiceAccount", name: "ci", namespace: "team-a" })).toEqual([b]);
    expect(inv.rbac.bindingsOf({ kind: "ServiceAccount", name: "ci", namespace: "other" })).toEqual([]);
  });

  it("expands aggregated ClusterRoles whose rules the manifests leave empty, keeping the source role and path", () => {
    const mon = inv.rbac.clusterRole("monitoring")!;
    expect(mon.aggregated).toBe(true);
    expect(mon.rules).toHaveLength(1);
    expect(mon.rules[0]!.declaredIn.metadata.name).toBe("read-pods");
    expect(mon.rules[0]!.path).toBe("rules[0]");
  });

  it("leaves the role undefined for a binding to a missing role", () => {
    expect(inv.rbac.bindings.find((x) => x.name === "dangling")!.role).toBeUndefined();
  });

  it("matches rules with wildcards, subresources and resourceNames", () => {
    const star = inv.rbac.clusterRole("secrets-all")!.rules[0]!;
    expect(ruleGrants(star, { verb: "get", resource: "secrets" })).toBe(true);
    expect(ruleGrants(star, { verb: "create", resource: "pods", subresource: "exec" })).toBe(true);
    const pods = inv.rbac.clusterRole("read-pods")!.rules[0]!;
    expect(ruleGrants(pods, { verb: "get", resource: "pods", subresource: "log" })).toBe(true);
    expect(ruleGrants(pods, { verb: "create", resource: "pods", subresource: "exec" })).toBe(false);
    expect(ruleGrants(pods, { verb: "get", resource: "pods", apiGroup: "apps" })).toBe(false);
    const named = inv.rbac.role("team-a", "deployer")!.rules[1]!;
    expect(ruleGrants(named, { verb: "get", resource: "secrets" })).toBe(false);
    expect(ruleGrants(named, { verb: "get", resource: "secrets" }, { ignoreResourceNames: true })).toBe(true);
  });

  it("tells system identities from people and from the public groups", () => {
    const skipped = (ns: string) => ns === "kube-system";
    expect(isSystemSubject({ kind: "Group", name: "system:masters", namespace: undefined }, skipped)).toBe(true);
    expect(isSystemSubject({ kind: "Group", name: "system:authenticated", namespace: undefined }, skipped)).toBe(false);
    expect(isSystemSubject({ kind: "User", name: "system:anonymous", namespace: undefined }, skipped)).toBe(false);
    expect(isSystemSubject({ kind: "ServiceAccount", name: "x", namespace: "kube-system" }, skipped)).toBe(true);
    expect(isSystemSubject({ kind: "ServiceAccount", name: "x", namespace: "apps" }, skipped)).toBe(false);
    expect(isSystemSubject({ kind: "User", name: "alice", namespace: undefined }, skipped)).toBe(false);
  });
});
