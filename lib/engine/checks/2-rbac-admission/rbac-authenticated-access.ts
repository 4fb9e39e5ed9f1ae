import { defineCheck } from "@/lib/engine/checks/define";
import { evaluatePublicBindings } from "@/lib/engine/checks/helpers/rbac-public-subjects";
import { RBAC_OBJECTS_NEEDED } from "@/lib/engine/checks/helpers/rbac-grants";

const EVERYONE = new Map([
  ["system:authenticated", "every authenticated user and service account"],
  ["system:serviceaccounts", "every service account of every namespace"],
]);

export const rbacAuthenticatedAccess = defineCheck({
  id: "rbac-authenticated-access",
  title: "All authenticated users get nothing beyond discovery and self-review",
  layer: 2,
  severity: "high",
  scope: "rbac",
  why: "system:authenticated holds every identity the API server accepts: each user, and each service account token mounted in any pod. A grant to it (or to system:serviceaccounts) is a grant to whoever compromises the weakest workload of the cluster, and on some managed platforms to any account of the identity provider.",
  references: { nsa: ["Authentication and authorization: role-based access control"], kubescape: ["C-0265"] },
  needs: [...RBAC_OBJECTS_NEEDED],
  evaluate(ctx) {
    evaluatePublicBindings(ctx, EVERYONE);
  },
  guide: `
The built-in bindings of \`system:authenticated\` to \`system:discovery\`, \`system:basic-user\` and \`system:public-info-viewer\`, and of \`system:serviceaccounts\` to \`system:service-account-issuer-discovery\`, are accepted. Any other grant to these groups is reported on the binding, naming the rule that goes beyond discovery and self-review. On OpenShift, the platform's own bindings (annotated \`rbac.authorization.kubernetes.io/autoupdate: "true"\`) are not evaluated.

## Fix

Bind the role to the group of people (from your identity provider) or the service accounts that need it:

~~~yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: platform-readers
subjects:
  - kind: Group
    name: platform-team          # an IdP group, not system:authenticated
    apiGroup: rbac.authorization.k8s.io
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
~~~

~~~sh
kubectl delete clusterrolebinding <binding-to-system-authenticated>
~~~

## Prevent

Reject new bindings to the catch-all groups with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: deny-catch-all-group-bindings
spec:
  background: true
  rules:
    - name: no-catch-all-groups
      match:
        any:
          - resources:
              kinds: [ClusterRoleBinding, RoleBinding]
      exclude:
        any:
          - resources:
              names: ["system:*"]
      validate:
        failureAction: Enforce
        message: "Bind roles to named groups or service accounts, not to system:authenticated or system:serviceaccounts."
        deny:
          conditions:
            any:
              - key: "{{ request.object.subjects[].name || \`[]\` }}"
                operator: AnyIn
                value: ["system:authenticated", "system:serviceaccounts"]
~~~
`,
});
