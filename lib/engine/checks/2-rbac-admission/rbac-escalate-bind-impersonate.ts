import { defineCheck } from "@/lib/engine/checks/define";
import { evaluateRoleRules, grantedVerbs, RBAC_OBJECTS_NEEDED } from "@/lib/engine/checks/helpers/rbac-grants";
import type { PolicyRule } from "@/lib/engine/inventory/rbac";

const RBAC_GROUP = "rbac.authorization.k8s.io";

/** [verb, resource, apiGroup] that let a subject give itself more rights (plus impersonate on userextras/<key>). */
const ESCALATIONS: readonly (readonly [string, string, string])[] = [
  ["escalate", "roles", RBAC_GROUP],
  ["escalate", "clusterroles", RBAC_GROUP],
  ["bind", "roles", RBAC_GROUP],
  ["bind", "clusterroles", RBAC_GROUP],
  ["impersonate", "users", ""],
  ["impersonate", "groups", ""],
  ["impersonate", "serviceaccounts", ""],
  ["impersonate", "uids", "authentication.k8s.io"],
];

export const rbacEscalateBindImpersonate = defineCheck({
  id: "rbac-escalate-bind-impersonate",
  title: "No non-system identity holds escalate, bind or impersonate across namespaces",
  layer: 2,
  severity: "high",
  scope: "rbac",
  why: "RBAC normally stops a subject from granting rights it does not hold. `escalate` lifts that limit when editing roles, `bind` lifts it when creating bindings (bind cluster-admin to yourself), and `impersonate` lets a subject act as any user, group or service account. Each one is a direct path to cluster-admin.",
  references: { cis: ["5.1.8"], nsa: ["Authentication and authorization: role-based access control"], kubescape: ["C-0191", "C-0065"] },
  needs: [...RBAC_OBJECTS_NEEDED],
  evaluate(ctx) {
    evaluateRoleRules(ctx, { reaches: ["cluster", "system-namespace"], match: escalationIn });
  },
  guide: `
Evaluated: \`escalate\` or \`bind\` on roles/clusterroles and \`impersonate\` on users, groups, service accounts, uids or user extras (wildcard verbs included), granted to a non-system subject by a ClusterRoleBinding or by a RoleBinding in a system namespace. Rules limited with \`resourceNames\` (impersonating one named service account, binding one named role) are accepted. Grants inside one application namespace are not reported.

## Fix

Remove the verbs from the role; if a delegated administrator must create bindings, limit \`bind\` to the roles they may hand out:

~~~yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: team-admin-delegation
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["rolebindings"]
    verbs: ["get", "list", "create", "delete"]
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles"]
    verbs: ["bind"]
    resourceNames: ["view", "edit"]     # only these roles may be handed out
~~~

Bind it with a RoleBinding in each team namespace, not a ClusterRoleBinding.

~~~sh
kubectl auth can-i impersonate users --as=<user>     # verify after the change
~~~

## Prevent

Reject roles that carry the verbs, except the reviewed ones, with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: restrict-escalation-verbs
spec:
  background: true
  rules:
    - name: no-escalate-bind-impersonate
      match:
        any:
          - resources:
              kinds: [Role, ClusterRole]
      exclude:
        any:
          - resources:
              names: ["system:*", "cluster-admin"]
      validate:
        failureAction: Enforce
        message: "escalate, bind and impersonate are reserved for reviewed roles."
        deny:
          conditions:
            any:
              - key: "{{ request.object.rules[?resourceNames == null].verbs[] || \`[]\` }}"
                operator: AnyIn
                value: ["escalate", "bind", "impersonate"]
~~~
`,
});

function escalationIn(rule: PolicyRule): { field: "verbs"; grant: string } | undefined {
  const byVerb = new Map<string, string[]>();
  const add = (verb: string, resource: string) => byVerb.set(verb, [...(byVerb.get(verb) ?? []), resource]);
  for (const [verb, resource, group] of ESCALATIONS) {
    if (grantedVerbs(rule, [verb], resource, group).length > 0) add(verb, resource);
  }
  // userextras/<key>: any key counts.
  const extras = rule.resources.some((r) => r === "*" || r.startsWith("userextras/"));
  if (extras && grantedVerbs({ ...rule, resources: ["*"] }, ["impersonate"], "userextras", "authentication.k8s.io").length > 0) add("impersonate", "userextras");
  if (byVerb.size === 0) return undefined;
  const list = [...byVerb].map(([verb, resources]) => `${verb} on ${resources.join(", ")}`).join("; ");
  return { field: "verbs", grant: `${rule.verbs.includes("*") ? "every verb (*), including " : ""}${list}` };
}
