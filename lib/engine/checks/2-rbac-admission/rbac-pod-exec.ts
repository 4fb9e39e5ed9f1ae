import { defineCheck } from "@/lib/engine/checks/define";
import { evaluateRoleRules, grantedVerbs, RBAC_OBJECTS_NEEDED } from "@/lib/engine/checks/helpers/rbac-grants";
import type { PolicyRule } from "@/lib/engine/inventory/rbac";

/**
 * Kubernetes 1.35 made WebSocket exec/attach require `create` (feature gate
 * AuthorizePodWebsocketUpgradeCreatePermission, on by default). Before, `get` on pods/exec was
 * enough through the WebSocket endpoint, which kubectl itself uses since 1.30.
 */
export function getAllowsWebsocketExec(kubernetesVersion: string | undefined): boolean {
  const m = /^v?(\d+)\.(\d+)/.exec(kubernetesVersion ?? "");
  if (!m) return true;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major < 1 || (major === 1 && minor < 35);
}

export const rbacPodExec = defineCheck({
  id: "rbac-pod-exec",
  title: "No non-system identity can exec or attach into pods across namespaces",
  layer: 2,
  severity: "high",
  scope: "rbac",
  why: "Exec and attach run commands inside any matching container: the subject gets the container's files, mounted Secrets and service account token, and its network position. Granted cluster-wide or in kube-system, it reaches the most privileged pods of the cluster. Adding an ephemeral debug container (pods/ephemeralcontainers) does the same.",
  references: { nsa: ["Authentication and authorization: role-based access control"], kubescape: ["C-0002"], polaris: ["clusterrolePodExecAttach", "rolePodExecAttach", "clusterrolebindingPodExecAttach", "rolebindingClusterRolePodExecAttach", "rolebindingRolePodExecAttach"] },
  needs: [...RBAC_OBJECTS_NEEDED],
  evaluate(ctx) {
    const getCounts = getAllowsWebsocketExec(ctx.cluster.kubernetesVersion);
    evaluateRoleRules(ctx, { reaches: ["cluster", "system-namespace"], match: (rule) => execIn(rule, getCounts) });
  },
  guide: `
Evaluated: \`create\` on pods/exec or pods/attach, \`get\` on them as well on clusters older than Kubernetes 1.35 (or of unknown version), where a WebSocket exec needs only \`get\`, and \`patch\`/\`update\` on pods/ephemeralcontainers, granted to a non-system subject by a ClusterRoleBinding or by a RoleBinding in a system namespace. Grants inside one application namespace are not reported.

## Fix

Take exec out of standing roles; give it per namespace, to a group, for the time it is needed (break-glass through your identity provider):

~~~yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: debug-exec
  namespace: shop          # one namespace, never kube-system
rules:
  - apiGroups: [""]
    resources: ["pods/exec", "pods/attach"]
    verbs: ["create", "get"]
~~~

~~~sh
kubectl get clusterrolebindings -o wide | grep <role-from-the-finding>
kubectl delete clusterrolebinding <binding>
~~~

Read-only roles must not list \`pods/exec\` even with \`get\`: before Kubernetes 1.35 that is enough to exec over WebSocket.

## Prevent

Reject ClusterRoles granting exec or attach unless reviewed, with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: restrict-pod-exec-roles
spec:
  background: true
  rules:
    - name: no-cluster-wide-exec
      match:
        any:
          - resources:
              kinds: [ClusterRole]
      exclude:
        any:
          - resources:
              names: ["system:*", "cluster-admin", "admin", "edit"]
      validate:
        failureAction: Enforce
        message: "ClusterRoles may not grant pods/exec, pods/attach or pods/ephemeralcontainers."
        deny:
          conditions:
            any:
              - key: "{{ request.object.rules[].resources[] || \`[]\` }}"
                operator: AnyIn
                value: ["pods/exec", "pods/attach", "pods/ephemeralcontainers", "pods/*", "*"]
~~~

On Kubernetes 1.35 and later keep the \`AuthorizePodWebsocketUpgradeCreatePermission\` feature gate on (the default).
`,
});

function execIn(rule: PolicyRule, getCounts: boolean): { field: "verbs"; grant: string } | undefined {
  const found: string[] = [];
  for (const sub of ["exec", "attach"]) {
    const verbs = grantedVerbs(rule, getCounts ? ["create", "get"] : ["create"], "pods", "", sub);
    if (verbs.length > 0) found.push(`${verbs.join(", ")} on pods/${sub}`);
  }
  const debug = grantedVerbs(rule, ["patch", "update"], "pods", "", "ephemeralcontainers");
  if (debug.length > 0) found.push(`${debug.join(", ")} on pods/ephemeralcontainers`);
  if (found.length === 0) return undefined;
  return { field: "verbs", grant: `${rule.verbs.includes("*") ? "every verb (*), including " : ""}${found.join("; ")}` };
}
