/**
 * Shared logic of the RBAC permission checks: who counts as a system identity, how far a
 * binding reaches, and one evaluation loop that resolves subject -> binding -> role -> rule
 * and records one outcome per role that declares the rules (the finding points at the rule).
 *
 * Rules (repeated in the guides of the checks that use them):
 * - System subjects are skipped: `system:`-prefixed users and groups (the control plane, nodes,
 *   `system:masters`) and ServiceAccounts in skipped namespaces (kube-system... : the built-in
 *   controllers). Not skipped: the public groups (`system:anonymous`, `system:unauthenticated`,
 *   `system:authenticated`), `system:serviceaccounts` (every ServiceAccount) and
 *   `system:serviceaccounts:<ns>` for a namespace that is not skipped.
 * - Bindings to cluster-admin are left to the cluster-admin-binding check.
 * - A role that nothing binds to a non-system subject is not evaluated (not applicable).
 */
import type { KubeObject } from "@/lib/snapshot/schema";
import { isSystemSubject, ruleGrants, type BindingInfo, type PolicyRule, type RoleInfo, type Subject } from "@/lib/engine/inventory/rbac";
import type { Inventory } from "@/lib/engine/inventory/inventory";
import type { CheckContext, Violation } from "@/lib/engine/model/check";
import { notApplicable, pass, verdict } from "@/lib/engine/checks/define";

/** How far a binding's grants reach: every namespace, a system namespace, or one application namespace. */
/** What every check judging roles through their bindings needs to see (unknown otherwise). */
export const RBAC_OBJECTS_NEEDED = [
  { group: "rbac.authorization.k8s.io", resource: "clusterroles" },
  { group: "rbac.authorization.k8s.io", resource: "roles" },
  { group: "rbac.authorization.k8s.io", resource: "clusterrolebindings" },
  { group: "rbac.authorization.k8s.io", resource: "rolebindings" },
] as const;

export type BindingReach = "cluster" | "system-namespace" | "namespace";

export function bindingReach(b: BindingInfo, inv: Inventory): BindingReach {
  if (b.kind === "ClusterRoleBinding") return "cluster";
  return inv.isSkippedNamespace(b.namespace ?? "default") ? "system-namespace" : "namespace";
}

const SA_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;
const SA_GROUP = /^system:serviceaccounts(?::(.+))?$/;

/**
 * True for identities the RBAC checks skip (see the file comment). Wraps isSystemSubject,
 * keeping the groups that stand for many ServiceAccounts of application namespaces in scope.
 */
export function isExcludedSubject(s: Pick<Subject, "kind" | "name" | "namespace">, inv: Inventory): boolean {
  const skipped = (ns: string) => inv.isSkippedNamespace(ns);
  if (s.kind === "Group") {
    const group = SA_GROUP.exec(s.name);
    if (group) return group[1] !== undefined && skipped(group[1]);
  }
  if (s.kind === "User") {
    const user = SA_USER.exec(s.name);
    if (user) return skipped(user[1]!);
  }
  return isSystemSubject(s, skipped);
}

export function describeSubject(s: Pick<Subject, "kind" | "name" | "namespace">): string {
  return s.kind === "ServiceAccount" ? `ServiceAccount ${s.namespace ?? "?"}/${s.name}` : `${s.kind || "subject"} ${s.name}`;
}

export function describeBinding(b: BindingInfo): string {
  return b.kind === "ClusterRoleBinding" ? `ClusterRoleBinding ${b.name}` : `RoleBinding ${b.namespace ?? "default"}/${b.name}`;
}

export function describeReach(b: BindingInfo): string {
  return b.kind === "ClusterRoleBinding" ? "cluster-wide" : `in namespace ${b.namespace ?? "default"}`;
}

/** Verbs of `candidates` the rule grants on the resource (wildcards count; rules limited by resourceNames do not). */
export function grantedVerbs(rule: PolicyRule, candidates: readonly string[], resource: string, apiGroup = "", subresource?: string): string[] {
  return candidates.filter((verb) => ruleGrants(rule, subresource === undefined ? { verb, resource, apiGroup } : { verb, resource, apiGroup, subresource }));
}

/** What a rule grants that the check objects to; `field` is where the finding points ("verbs" or "resources"). */
export interface RuleGrant {
  field: "verbs" | "resources";
  /** e.g. "get, list on secrets" */
  grant: string;
}

export interface RoleRuleCheck {
  /** Bindings whose grants count. Default: every reach. */
  reaches?: readonly BindingReach[];
  /** The objectionable grant of a rule, if any. `binding` gives the context (Kubernetes version checks...). */
  match(rule: PolicyRule, binding: BindingInfo): RuleGrant | undefined;
}

interface Holder {
  subject: Subject;
  binding: BindingInfo;
}

interface RuleHit {
  rule: PolicyRule;
  grant: RuleGrant;
  holders: Holder[];
}

const MAX_HOLDERS_IN_MESSAGE = 3;

/**
 * Evaluates every role that a non-system subject is bound to (through a binding of an allowed
 * reach) and records one outcome per object that declares the rules: fail with one violation
 * per objectionable rule, at `rules[i].<field>`, naming the subjects and bindings; pass otherwise.
 * Every other Role and ClusterRole is recorded as not applicable (unbound, or bound only to
 * system identities).
 */
export function evaluateRoleRules(ctx: CheckContext, check: RoleRuleCheck): void {
  const inv = ctx.inventory;
  const reaches = new Set<BindingReach>(check.reaches ?? ["cluster", "system-namespace", "namespace"]);
  const evaluated = new Set<KubeObject>();
  const hits = new Map<KubeObject, Map<string, RuleHit>>();

  for (const b of inv.rbac.bindings) {
    if (b.roleRef.kind === "ClusterRole" && b.roleRef.name === "cluster-admin") continue;
    const role = b.role;
    if (!role || !reaches.has(bindingReach(b, inv))) continue;
    const subjects = b.subjects.filter((s) => !isExcludedSubject(s, inv));
    if (subjects.length === 0) continue;
    for (const declaring of declaringObjects(role)) evaluated.add(declaring);
    for (const rule of role.rules) {
      const grant = check.match(rule, b);
      if (!grant) continue;
      let byRule = hits.get(rule.declaredIn);
      if (!byRule) hits.set(rule.declaredIn, (byRule = new Map()));
      let hit = byRule.get(rule.path);
      if (!hit) byRule.set(rule.path, (hit = { rule, grant, holders: [] }));
      for (const subject of subjects) hit.holders.push({ subject, binding: b });
    }
  }

  for (const role of [...inv.rbac.clusterRoles, ...inv.rbac.roles]) {
    if (evaluated.has(role.object)) continue;
    ctx.record({ resource: role.object }, notApplicable());
  }
  for (const declaring of evaluated) {
    const byRule = hits.get(declaring);
    if (!byRule) {
      ctx.record({ resource: declaring }, pass());
      continue;
    }
    const violations: Violation[] = [...byRule.values()].map((hit) => ({
      path: `${hit.rule.path}.${hit.grant.field}`,
      message: `${hit.rule.path} grants ${hit.grant.grant} to ${describeHolders(hit.holders)}`,
    }));
    ctx.record({ resource: declaring }, verdict(violations));
  }
}

/** The objects whose rules a role carries: itself, or the source roles of an aggregated ClusterRole gathered from manifests. */
function declaringObjects(role: RoleInfo): KubeObject[] {
  if (role.rules.length === 0) return [role.object];
  const out = new Set<KubeObject>();
  for (const rule of role.rules) out.add(rule.declaredIn);
  return [...out];
}

function describeHolders(holders: readonly Holder[]): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const h of holders) {
    const text = `${describeSubject(h.subject)} (${describeBinding(h.binding)}, ${describeReach(h.binding)})`;
    if (seen.has(text)) continue;
    seen.add(text);
    parts.push(text);
  }
  if (parts.length <= MAX_HOLDERS_IN_MESSAGE) return parts.join(", ");
  return `${parts.slice(0, MAX_HOLDERS_IN_MESSAGE).join(", ")} and ${parts.length - MAX_HOLDERS_IN_MESSAGE} more`;
}

/** "get, list on secrets" */
export function verbsOn(verbs: readonly string[], what: string, rule: PolicyRule): string {
  const star = rule.verbs.includes("*") ? "all verbs (*)" : verbs.join(", ");
  return `${star} on ${what}`;
}
