import { defineCheck } from "@/lib/engine/checks/define";
import { evaluateRoleRules, grantedVerbs, verbsOn, RBAC_OBJECTS_NEEDED } from "@/lib/engine/checks/helpers/rbac-grants";

const READ_VERBS = ["get", "list", "watch"] as const;

export const rbacSecretsAccess = defineCheck({
  id: "rbac-secrets-access",
  title: "No non-system identity can read Secrets across namespaces",
  layer: 2,
  severity: "high",
  scope: "rbac",
  why: "Reading Secrets cluster-wide (or in kube-system) hands over every credential the cluster stores: database passwords, cloud keys, TLS keys and the tokens of powerful service accounts, which turn read access into full control. `list` and `watch` return the values too, so a 'read-only' role is enough.",
  references: { cis: ["5.1.2"], nsa: ["Authentication and authorization: role-based access control"], kubescape: ["C-0015", "C-0186"] },
  needs: [...RBAC_OBJECTS_NEEDED],
  evaluate(ctx) {
    evaluateRoleRules(ctx, {
      reaches: ["cluster", "system-namespace"],
      match(rule) {
        const verbs = grantedVerbs(rule, READ_VERBS, "secrets");
        return verbs.length === 0 ? undefined : { field: "verbs", grant: verbsOn(verbs, "secrets", rule) };
      },
    });
  },
  guide: `
Evaluated: get, list and watch on Secrets without \`resourceNames\`, granted to a non-system subject by a ClusterRoleBinding (every namespace) or by a RoleBinding in a system namespace (kube-system, kube-public, kube-node-lease). Access granted by a RoleBinding inside one application namespace is that namespace's business and is not reported; rules limited to named Secrets (\`resourceNames\`) are accepted.

Controllers that must read Secrets everywhere (External Secrets, cert-manager, an ingress controller) are expected exceptions: annotate their ClusterRole with \`ramparts.dev/exempt: rbac-secrets-access\` after review, so the finding stays visible as excepted.

## Fix

Grant Secrets per namespace and per name, through a RoleBinding:

~~~yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: read-app-secret
  namespace: shop
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    resourceNames: ["shop-db"]   # only this Secret
    verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-app-secret
  namespace: shop
subjects:
  - kind: ServiceAccount
    name: shop-api
    namespace: shop
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: read-app-secret
~~~

Most applications need no Secret permission at all: mount the Secret as a volume or environment variable and the kubelet reads it.

~~~sh
kubectl get clusterrolebindings -o wide   # find who holds the role named in the finding
kubectl delete clusterrolebinding <binding>
~~~

## Prevent

Reject new ClusterRoles that read Secrets unless they are reviewed and labelled, with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: restrict-secret-readers
spec:
  background: true
  rules:
    - name: no-cluster-wide-secret-read
      match:
        any:
          - resources:
              kinds: [ClusterRole]
      exclude:
        any:
          - resources:
              names: ["system:*", "admin", "edit", "cluster-admin"]
          - resources:
              selector:
                matchLabels:
                  security.example.com/secret-access-reviewed: "true"
      validate:
        failureAction: Enforce
        message: "ClusterRoles may not read Secrets; use a namespaced Role with resourceNames."
        deny:
          conditions:
            any:
              - key: "{{ request.object.rules[?contains(resources || \`[]\`, 'secrets') || contains(resources || \`[]\`, '*')].verbs[] || \`[]\` }}"
                operator: AnyIn
                value: ["get", "list", "watch", "*"]
~~~
`,
});
