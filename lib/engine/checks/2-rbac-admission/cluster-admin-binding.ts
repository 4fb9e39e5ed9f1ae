import { defineCheck, pass, verdict } from "@/lib/engine/checks/define";
import { isSystemSubject } from "@/lib/engine/inventory/rbac";
import type { Violation } from "@/lib/engine/model/check";

export const clusterAdminBinding = defineCheck({
  id: "cluster-admin-binding",
  title: "cluster-admin is bound only to system identities",
  layer: 2,
  severity: "critical",
  scope: "rbac",
  why: "cluster-admin can do anything to every object, Secrets and RBAC included. A user, group or service account bound to it is one stolen credential away from a full cluster takeover, and no admission policy can stop an identity that may rewrite the policies themselves.",
  references: { cis: ["5.1.1"], nsa: ["Authentication and authorization: role-based access control"], kubescape: ["C-0035"], polaris: ["clusterrolebindingClusterAdmin", "rolebindingClusterAdminClusterRole"] },
  needs: [
    { group: "rbac.authorization.k8s.io", resource: "clusterrolebindings" },
    { group: "rbac.authorization.k8s.io", resource: "rolebindings" },
  ],
  evaluate(ctx) {
    const inv = ctx.inventory;
    for (const b of inv.rbac.bindings) {
      if (b.roleRef.kind !== "ClusterRole" || b.roleRef.name !== "cluster-admin") continue;
      const violations: Violation[] = [];
      for (const s of b.subjects) {
        if (isSystemSubject(s, (ns) => inv.isSkippedNamespace(ns))) continue;
        const who = s.kind === "ServiceAccount" ? `ServiceAccount ${s.namespace ?? "?"}/${s.name}` : `${s.kind} ${s.name}`;
        const scope = b.kind === "ClusterRoleBinding" ? "cluster-wide" : `in namespace ${b.namespace ?? "default"}`;
        violations.push({ path: s.path, message: `${who} is bound to cluster-admin ${scope}` });
      }
      ctx.record({ resource: b.object }, violations.length === 0 ? pass() : verdict(violations));
    }
  },
  guide: `
Bind people and automation to the narrowest role that does the job: the built-in \`admin\`, \`edit\` or \`view\` ClusterRoles through a namespaced RoleBinding, or a custom Role. Keep cluster-admin for break-glass access through your identity provider (short-lived, audited), not standing bindings.

## Fix

List who holds cluster-admin:

~~~sh
kubectl get clusterrolebindings,rolebindings -A -o json \\
  | jq -r '.items[] | select(.roleRef.name=="cluster-admin") | "\\(.kind) \\(.metadata.namespace // "-")/\\(.metadata.name): \\([.subjects[]? | "\\(.kind):\\(.name)"] | join(", "))"'
~~~

Replace a standing binding with a namespaced one:

~~~yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: team-a-admin
  namespace: team-a
subjects:
  - kind: Group
    name: team-a-admins
    apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: ClusterRole
  name: admin        # namespace admin, not cluster-admin
  apiGroup: rbac.authorization.k8s.io
~~~

~~~sh
kubectl delete clusterrolebinding <binding-name>
~~~

## Prevent

Reject new bindings to cluster-admin for anything but system identities with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: restrict-cluster-admin-bindings
spec:
  background: true
  rules:
    - name: no-cluster-admin-for-users
      match:
        any:
          - resources:
              kinds: [ClusterRoleBinding, RoleBinding]
      preconditions:
        all:
          - key: "{{ request.object.roleRef.name }}"
            operator: Equals
            value: cluster-admin
      validate:
        failureAction: Enforce
        message: "Binding to cluster-admin is reserved for system identities."
        deny:
          conditions:
            any:
              - key: "{{ request.object.subjects[?!starts_with(name, 'system:')] | length(@) }}"
                operator: GreaterThan
                value: 0
~~~

Also review who may create bindings at all: the \`bind\` and \`escalate\` verbs on roles, and \`create\` on (cluster)rolebindings.
`,
});
