import { defineCheck } from "@/lib/engine/checks/define";
import { evaluatePublicBindings } from "@/lib/engine/checks/helpers/rbac-public-subjects";
import { RBAC_OBJECTS_NEEDED } from "@/lib/engine/checks/helpers/rbac-grants";

const ANONYMOUS = new Map([
  ["system:anonymous", "any unauthenticated request"],
  ["system:unauthenticated", "anyone who can reach the API server"],
]);

export const rbacAnonymousAccess = defineCheck({
  id: "rbac-anonymous-access",
  title: "Anonymous requests get nothing beyond health, version and discovery",
  layer: 2,
  severity: "critical",
  scope: "rbac",
  why: "A binding to system:anonymous or system:unauthenticated gives its rights to anyone who can reach the API server, with no credential at all. Exposed API servers are scanned continuously; a role that reads Secrets or creates pods bound to these subjects is an open door to the cluster.",
  references: { nsa: ["Authentication and authorization: authentication"], kubescape: ["C-0262"] },
  needs: [...RBAC_OBJECTS_NEEDED],
  evaluate(ctx) {
    evaluatePublicBindings(ctx, ANONYMOUS);
  },
  guide: `
Kubernetes binds the public groups only to \`system:public-info-viewer\` (health and version endpoints), and kubeadm lets anyone read the \`cluster-info\` ConfigMap in kube-public for node bootstrap. Those, discovery, service-account issuer discovery and self-review APIs are accepted; any other grant to \`system:anonymous\` or \`system:unauthenticated\` (whatever the subject kind) is reported on the binding, naming the rule that goes beyond. On OpenShift, the platform's own bindings (annotated \`rbac.authorization.kubernetes.io/autoupdate: "true"\`) are not evaluated.

## Fix

~~~sh
# find the bindings
kubectl get clusterrolebindings,rolebindings -A -o json \\
  | jq -r '.items[] | select(.subjects[]? | .name == "system:anonymous" or .name == "system:unauthenticated") | "\\(.kind) \\(.metadata.namespace // "-")/\\(.metadata.name) -> \\(.roleRef.name)"'
kubectl delete clusterrolebinding <binding>
~~~

If the API server does not need anonymous requests at all (load balancer health checks can use \`/livez\` through an authenticated probe, or the \`--anonymous-auth-config\` of Kubernetes 1.32+ limited to the health endpoints), turn them off:

~~~yaml
# kube-apiserver flags (kubeadm: apiServer.extraArgs)
- --anonymous-auth=false
~~~

## Prevent

Reject any new binding to the anonymous identities with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: deny-anonymous-bindings
spec:
  background: true
  rules:
    - name: no-anonymous-subjects
      match:
        any:
          - resources:
              kinds: [ClusterRoleBinding, RoleBinding]
      exclude:
        any:
          - resources:
              names: ["system:public-info-viewer", "kubeadm:bootstrap-signer-clusterinfo"]
      validate:
        failureAction: Enforce
        message: "Bindings to system:anonymous or system:unauthenticated are not allowed."
        deny:
          conditions:
            any:
              - key: "{{ request.object.subjects[].name || \`[]\` }}"
                operator: AnyIn
                value: ["system:anonymous", "system:unauthenticated"]
~~~
`,
});
