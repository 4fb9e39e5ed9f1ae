/**
 * Bindings to the groups that stand for "anyone" (system:anonymous, system:unauthenticated,
 * system:authenticated, system:serviceaccounts). Kubernetes itself binds them to discovery,
 * health/version endpoints and self-review APIs; anything beyond that is reported.
 */
import { CLUSTER_RESOURCE, notApplicable, pass, verdict } from "@/lib/engine/checks/define";
import { annotationsOf } from "@/lib/engine/model/kube";
import type { BindingInfo, PolicyRule, RoleInfo } from "@/lib/engine/inventory/rbac";
import type { CheckContext, Violation } from "@/lib/engine/model/check";
import { describeBinding, describeReach } from "@/lib/engine/checks/helpers/rbac-grants";

/** OpenShift marks the bindings it maintains itself; the agent keeps this annotation's value. */
export const PLATFORM_BINDING_ANNOTATION = "rbac.authorization.kubernetes.io/autoupdate";

/** Non-resource URLs the built-in public roles grant (system:public-info-viewer, system:discovery, issuer discovery). */
const PUBLIC_URLS = new Set([
  "/healthz", "/healthz/*", "/livez", "/livez/*", "/readyz", "/readyz/*", "/version", "/version/",
  "/api", "/api/*", "/apis", "/apis/*", "/openapi", "/openapi/*",
  "/.well-known/openid-configuration", "/.well-known/openid-configuration/", "/openid/v1/jwks", "/openid/v1/jwks/",
]);
const SELF_REVIEWS = new Set(["selfsubjectaccessreviews", "selfsubjectrulesreviews", "selfsubjectreviews"]);
const REVIEW_GROUPS = new Set(["authorization.k8s.io", "authentication.k8s.io"]);

/** Built-in roles bound to the public groups by Kubernetes and kubeadm; accepted when the manifests do not carry them. */
const BUILT_IN_PUBLIC_ROLES = new Set([
  "ClusterRole/system:public-info-viewer",
  "ClusterRole/system:discovery",
  "ClusterRole/system:basic-user",
  "ClusterRole/system:service-account-issuer-discovery",
  "Role/kubeadm:bootstrap-signer-clusterinfo",
]);

const subset = (values: readonly string[], allowed: ReadonlySet<string>) => values.length > 0 && values.every((v) => allowed.has(v));

/** True when the rule only grants what Kubernetes grants everyone by default. */
export function isHarmlessPublicRule(rule: PolicyRule, binding: BindingInfo): boolean {
  if (rule.resources.length === 0) {
    return rule.nonResourceURLs.length > 0 && subset(rule.verbs, new Set(["get", "head"])) && subset(rule.nonResourceURLs, PUBLIC_URLS);
  }
  if (rule.nonResourceURLs.length > 0) return false;
  if (subset(rule.verbs, new Set(["create"])) && subset(rule.resources, SELF_REVIEWS) && subset(rule.apiGroups, REVIEW_GROUPS)) return true;
  // kubeadm's cluster-info ConfigMap, readable by anyone for node bootstrap, in kube-public only.
  return (
    binding.kind === "RoleBinding" && binding.namespace === "kube-public" && rule.resourceNames.length > 0 &&
    subset(rule.verbs, new Set(["get"])) && subset(rule.resources, new Set(["configmaps"])) && subset(rule.apiGroups, new Set([""]))
  );
}

function describeRule(rule: PolicyRule): string {
  const verbs = rule.verbs.join(", ") || "no verbs";
  const what = rule.resources.length > 0 ? rule.resources.join(", ") : rule.nonResourceURLs.join(", ");
  const names = rule.resourceNames.length > 0 ? ` (${rule.resourceNames.join(", ")})` : "";
  return `${rule.path}: ${verbs} on ${what}${names}`;
}

/** Why the binding's role is more than the public defaults, or undefined when it is harmless. */
function excessOf(binding: BindingInfo, role: RoleInfo | undefined): string | undefined {
  const roleName = `${binding.roleRef.kind} ${binding.roleRef.name}`;
  if (!role) {
    if (BUILT_IN_PUBLIC_ROLES.has(`${binding.roleRef.kind}/${binding.roleRef.name}`)) return undefined;
    return `${roleName}, which is not in the input: whatever that role holds, now or later, is granted`;
  }
  const excess = role.rules.filter((r) => !isHarmlessPublicRule(r, binding));
  if (excess.length === 0) return undefined;
  const more = excess.length > 1 ? ` and ${excess.length - 1} more rule${excess.length > 2 ? "s" : ""}` : "";
  return `${roleName}, which grants ${describeRule(excess[0]!)}${more}`;
}

/**
 * One outcome per binding that names one of `groups` (by name, whatever the subject kind):
 * fail at `subjects[i]` when the role grants more than the public defaults. When no binding names
 * them, one pass for the cluster. On OpenShift, the platform's own bindings (annotated
 * rbac.authorization.kubernetes.io/autoupdate: "true") are not applicable.
 */
export function evaluatePublicBindings(ctx: CheckContext, groups: ReadonlyMap<string, string>): void {
  let seen = false;
  for (const b of ctx.inventory.rbac.bindings) {
    const publicSubjects = b.subjects.filter((s) => groups.has(s.name));
    if (publicSubjects.length === 0) continue;
    // OpenShift binds its catch-all groups to many platform roles, which it reconciles itself.
    if (ctx.cluster.provider === "openshift" && annotationsOf(b.object)[PLATFORM_BINDING_ANNOTATION] === "true") {
      ctx.record({ resource: b.object }, notApplicable());
      continue;
    }
    seen = true;
    const excess = excessOf(b, b.role);
    const violations: Violation[] = excess === undefined ? [] : publicSubjects.map((s) => ({
      path: s.path,
      message: `${s.name} (${groups.get(s.name)}) is bound ${describeReach(b)} by ${describeBinding(b)} to ${excess}`,
    }));
    ctx.record({ resource: b.object }, violations.length === 0 ? pass() : verdict(violations));
  }
  if (!seen) ctx.record({ resource: CLUSTER_RESOURCE }, pass());
}
