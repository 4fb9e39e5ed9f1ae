import { defineCheck } from "@/lib/engine/checks/define";
import { evaluateRoleRules, grantedVerbs, RBAC_OBJECTS_NEEDED } from "@/lib/engine/checks/helpers/rbac-grants";
import type { PolicyRule } from "@/lib/engine/inventory/rbac";

/** Resources whose creation starts pods: [resource, apiGroup]. */
const POD_CREATORS: readonly (readonly [string, string])[] = [
  ["pods", ""],
  ["replicationcontrollers", ""],
  ["deployments", "apps"],
  ["replicasets", "apps"],
  ["statefulsets", "apps"],
  ["daemonsets", "apps"],
  ["jobs", "batch"],
  ["cronjobs", "batch"],
];

export const rbacPodCreate = defineCheck({
  id: "rbac-pod-create",
  title: "No non-system identity can create pods or workload controllers across namespaces",
  layer: 2,
  severity: "high",
  scope: "rbac",
  why: "Whoever creates a pod chooses what it runs and which service account it runs as. Granted cluster-wide (or in kube-system), pod creation lets a subject start a pod in kube-system with a controller's service account, or a privileged pod with the node's filesystem mounted wherever admission control is weak: it is equivalent to the most privileged account in reach. Deployments, DaemonSets, Jobs and the other controllers create pods too.",
  references: { cis: ["5.1.4"], nsa: ["Authentication and authorization: role-based access control"], kubescape: ["C-0188"] },
  needs: [...RBAC_OBJECTS_NEEDED],
  evaluate(ctx) {
    evaluateRoleRules(ctx, { reaches: ["cluster", "system-namespace"], match: podCreationIn });
  },
  guide: `
Evaluated: \`create\` on pods, replicationcontrollers, deployments, replicasets, statefulsets, daemonsets, jobs or cronjobs, granted to a non-system subject by a ClusterRoleBinding or by a RoleBinding in a system namespace. Deploying inside application namespaces through RoleBindings is the normal way to work and is not reported.

Deployment tools (Argo CD, Flux, CI runners, workflow engines) legitimately create workloads; scope them to their target namespaces with RoleBindings, or, when they must deploy cluster-wide, review them and annotate their ClusterRole with \`ramparts.dev/exempt: rbac-pod-create\`.

## Fix

Replace the cluster-wide grant with one RoleBinding per target namespace:

~~~yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: deployer
  namespace: shop            # repeat for each namespace the deployer manages
subjects:
  - kind: ServiceAccount
    name: deployer
    namespace: ci
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit                 # scoped to "shop" by the RoleBinding
~~~

~~~sh
kubectl delete clusterrolebinding <cluster-wide-binding>
~~~

## Prevent

Pod Security Admission (\`restricted\`) in every namespace limits what a created pod may do, and a Kyverno policy keeps ClusterRoleBindings that grant pod creation from coming back:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: restrict-cluster-wide-deployers
spec:
  background: true
  rules:
    - name: no-clusterrolebinding-to-edit
      match:
        any:
          - resources:
              kinds: [ClusterRoleBinding]
      validate:
        failureAction: Enforce
        message: "Grant edit/admin through RoleBindings in the namespaces concerned."
        deny:
          conditions:
            any:
              - key: "{{ request.object.roleRef.name }}"
                operator: AnyIn
                value: ["edit", "admin"]
~~~
`,
});

function podCreationIn(rule: PolicyRule): { field: "verbs"; grant: string } | undefined {
  const found = POD_CREATORS.filter(([resource, group]) => grantedVerbs(rule, ["create"], resource, group).length > 0).map(([resource]) => resource);
  if (found.length === 0) return undefined;
  const what = rule.resources.includes("*") && found.length === POD_CREATORS.length ? "every resource (*), including pods" : found.join(", ");
  return { field: "verbs", grant: `${rule.verbs.includes("*") ? "every verb (*), so create," : "create"} on ${what}` };
}
