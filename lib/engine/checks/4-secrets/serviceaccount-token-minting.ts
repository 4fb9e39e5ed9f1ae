import { defineCheck } from "@/lib/engine/checks/define";
import { evaluateRoleRules, grantedVerbs, RBAC_OBJECTS_NEEDED, verbsOn, type RuleGrant } from "@/lib/engine/checks/helpers/rbac-grants";
import type { PolicyRule } from "@/lib/engine/inventory/rbac";

/** `create` on serviceaccounts/token (TokenRequest), through the exact resource or a wildcard; rules limited by resourceNames do not count. */
function tokenMinting(rule: PolicyRule): RuleGrant | undefined {
  if (grantedVerbs(rule, ["create"], "serviceaccounts", "", "token").length === 0) return undefined;
  const through = rule.resources.includes("serviceaccounts/token") ? "" : ` (resources: ${rule.resources.filter((r) => r === "*" || r === "*/token").join(", ")})`;
  return { field: "verbs", grant: `${verbsOn(["create"], "serviceaccounts/token", rule)}${through}` };
}

export const serviceaccountTokenMinting = defineCheck({
  id: "serviceaccount-token-minting",
  title: "No non-system identity can mint service account tokens across namespaces",
  layer: 4,
  severity: "high",
  scope: "rbac",
  why: "`create` on serviceaccounts/token (the TokenRequest API) issues a bearer token for any service account the rule covers, valid for up to the lifetime the caller asks the API server for. The holder then acts with that account's permissions: granted cluster-wide or in kube-system, it reaches the controllers and operators that hold the most power in the cluster, and the tokens keep working after the holder's own access is revoked.",
  references: { cis: ["5.1.13"], nsa: ["Authentication and authorization: role-based access control"], kubescape: ["C-0282"] },
  needs: [...RBAC_OBJECTS_NEEDED],
  evaluate(ctx) {
    evaluateRoleRules(ctx, { reaches: ["cluster", "system-namespace"], match: tokenMinting });
  },
  guide: `
Evaluated: \`create\` on \`serviceaccounts/token\` in the core API group, wildcards included (\`verbs: ["*"]\`, \`resources: ["*"]\` or \`["*/token"]\`, \`apiGroups: ["*"]\`), granted to a non-system subject by a ClusterRoleBinding (every namespace) or by a RoleBinding in a system namespace (kube-system, kube-public, kube-node-lease). The finding points at the rule, in the Role or ClusterRole that declares it, and names the bindings and subjects that hold it.

Not reported, on purpose:
- Kubernetes' own identities: \`system:\` users and groups (kube-controller-manager, the kubelets through \`system:nodes\`) and service accounts of the system namespaces; bindings to cluster-admin, which the cluster-admin-binding check reports.
- Grants inside one application namespace: the built-in \`edit\` and \`admin\` roles include this permission, and within its own namespace it gives nothing that creating a pod with that service account would not.
- Rules limited by \`resourceNames\`: they mint tokens only for the named service accounts, which is how External Secrets Operator, cert-manager or Vault authenticate with a \`serviceAccountRef\`. Through a ClusterRoleBinding the names apply in **every** namespace, so never name a common account such as \`default\`, and prefer a RoleBinding in the account's own namespace.

Controllers that ship with a cluster-wide grant (External Secrets Operator's chart does) fail this check: narrow them as below, or annotate their ClusterRole with \`ramparts.dev/exempt: serviceaccount-token-minting\` after review.

## Fix

Find who holds it:

~~~sh
# "serviceaccounts/token" would be read as the ServiceAccount named "token": use --subresource
kubectl auth can-i create serviceaccounts --subresource=token -n kube-system --as=system:serviceaccount:<namespace>:<name>
kubectl auth can-i create serviceaccounts --subresource=token -A --as=<user> --as-group=<group>

# Roles and ClusterRoles that grant it without resourceNames
kubectl get clusterroles,roles -A -o json | jq -r '.items[]
  | select(any(.rules[]?;
      ((.verbs // []) | any(. == "create" or . == "*"))
      and ((.resources // []) | any(. == "serviceaccounts/token" or . == "*/token" or . == "*"))
      and ((.apiGroups // []) | any(. == "" or . == "*"))
      and ((.resourceNames // []) | length == 0)))
  | .kind + " " + (.metadata.namespace // "-") + "/" + .metadata.name'

# Bindings to the role named in the finding
kubectl get clusterrolebindings,rolebindings -A -o json | jq -r '.items[]
  | select(.roleRef.name == "<role>") | .kind + " " + (.metadata.namespace // "-") + "/" + .metadata.name'
~~~

Then remove the rule, or limit it to the one account that must be impersonated, bound in that account's namespace:

~~~yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: mint-external-secrets-shop-token
  namespace: external-secrets           # the namespace of the service account
rules:
  - apiGroups: [""]
    resources: ["serviceaccounts/token"]
    resourceNames: ["external-secrets-shop"]
    verbs: ["create"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: mint-external-secrets-shop-token
  namespace: external-secrets
subjects:
  - kind: ServiceAccount
    name: external-secrets
    namespace: external-secrets
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: mint-external-secrets-shop-token
~~~

## Prevent

Reject roles that grant token creation without \`resourceNames\`, except Kubernetes' own and the reviewed ones, with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: restrict-token-minting
spec:
  background: true
  rules:
    - name: token-requests-need-resource-names
      match:
        any:
          - resources:
              kinds: [Role, ClusterRole]
      exclude:
        any:
          - resources:
              names: ["system:*", "cluster-admin", "admin", "edit"]
      validate:
        failureAction: Enforce
        message: "create on serviceaccounts/token must be limited to named service accounts (resourceNames)."
        deny:
          conditions:
            any:
              - key: "{{ request.object.rules[?(contains(resources || \`[]\`, 'serviceaccounts/token') || contains(resources || \`[]\`, '*/token') || contains(resources || \`[]\`, '*')) && !resourceNames].verbs[] || \`[]\` }}"
                operator: AnyIn
                value: ["create", "*"]
~~~

Audit TokenRequests (\`serviceaccounts/token\` at the Metadata level in the audit policy) to see which identities actually use the permission before removing it.
`,
});
