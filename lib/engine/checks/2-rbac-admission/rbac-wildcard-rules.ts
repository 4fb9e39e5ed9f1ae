import { defineCheck } from "@/lib/engine/checks/define";
import { evaluateRoleRules, RBAC_OBJECTS_NEEDED } from "@/lib/engine/checks/helpers/rbac-grants";
import type { PolicyRule } from "@/lib/engine/inventory/rbac";

/**
 * Groups served by Kubernetes itself: the core group, unqualified names (apps, batch...) and
 * *.k8s.io. A wildcard limited to an operator's own group (monitoring.coreos.com) is left alone.
 */
function isBuiltInGroup(group: string): boolean {
  return group === "*" || group === "" || !group.includes(".") || group.endsWith(".k8s.io");
}

export const rbacWildcardRules = defineCheck({
  id: "rbac-wildcard-rules",
  title: "Bound roles list their verbs and resources instead of wildcards",
  layer: 2,
  severity: "high",
  scope: "rbac",
  why: "A `*` in verbs or resources grants everything the API offers today and everything it will offer tomorrow: Secrets, pods/exec, RBAC objects, new resources added by later versions or CRDs. A role written with wildcards cannot be reviewed, and a stolen token of its holder reaches far beyond what its job needs.",
  references: { cis: ["5.1.3"], nsa: ["Authentication and authorization: role-based access control"], kubescape: ["C-0187"] },
  needs: [...RBAC_OBJECTS_NEEDED],
  evaluate(ctx) {
    evaluateRoleRules(ctx, { match: wildcardIn });
  },
  guide: `
Only roles that are bound to a non-system subject are evaluated: an unbound role grants nothing and is reported as not applicable. Bindings to \`cluster-admin\` are reported by the cluster-admin-binding check. A wildcard limited to a custom API group (an operator managing its own CRDs) is accepted; wildcards over core and built-in groups are not.

## Fix

List what the subject really uses (audit logs, or \`kubectl auth can-i --list --as=system:serviceaccount:<ns>:<sa>\`), then write the rule out:

~~~yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: deployer
  namespace: shop
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["get", "list", "watch", "create", "update", "patch"]
  - apiGroups: [""]
    resources: ["services", "configmaps"]
    verbs: ["get", "list", "watch", "create", "update", "patch"]
~~~

Tools such as \`audit2rbac\` turn a subject's audit events into such a role.

## Prevent

Reject roles with wildcards over built-in API groups with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: restrict-rbac-wildcards
spec:
  background: true
  rules:
    - name: no-wildcards
      match:
        any:
          - resources:
              kinds: [Role, ClusterRole]
      exclude:
        any:
          - resources:
              names: ["cluster-admin", "system:*"]
      validate:
        failureAction: Enforce
        message: "Name the verbs and resources instead of using '*'."
        deny:
          conditions:
            any:
              - key: "{{ request.object.rules[].verbs[] || \`[]\` }}"
                operator: AnyIn
                value: ["*"]
              - key: "{{ request.object.rules[].resources[] || \`[]\` }}"
                operator: AnyIn
                value: ["*"]
~~~
`,
});

function wildcardIn(rule: PolicyRule): { field: "verbs" | "resources"; grant: string } | undefined {
  if (rule.resources.length === 0 || !rule.apiGroups.some(isBuiltInGroup)) return undefined;
  const verbs = rule.verbs.includes("*");
  const resources = rule.resources.includes("*");
  if (!verbs && !resources) return undefined;
  const groups = rule.apiGroups.includes("*") ? "every API group" : `API groups [${rule.apiGroups.map((g) => (g === "" ? '""' : g)).join(", ")}]`;
  const what = verbs && resources ? "every verb (*) on every resource (*)" : verbs ? `every verb (*) on ${rule.resources.join(", ")}` : `${rule.verbs.join(", ")} on every resource (*)`;
  return { field: verbs ? "verbs" : "resources", grant: `${what} of ${groups}` };
}
