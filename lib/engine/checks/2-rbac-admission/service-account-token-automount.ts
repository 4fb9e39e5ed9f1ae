import { defineWorkloadCheck, fail, pass, unknown } from "@/lib/engine/checks/define";
import { serviceAccountNameOf, tokenMountOf } from "@/lib/engine/checks/helpers/service-account-token";

/** Pod annotations of tools that authenticate with the pod's own token (they need it mounted). */
const TOKEN_CONSUMERS: readonly (readonly [string, string])[] = [
  ["vault.hashicorp.com/agent-inject", "true"],
];

export const serviceAccountTokenAutomount = defineWorkloadCheck({
  id: "service-account-token-automount",
  title: "Service account tokens are mounted only where the pod uses them",
  layer: 2,
  severity: "low",
  scope: "workload",
  why: "An automounted token is a live credential in every container's filesystem at /var/run/secrets/kubernetes.io/serviceaccount. A pod that never calls the Kubernetes API gains nothing from it, while anyone who gets code execution in the pod (or reads its files) gets an identity to probe the API server with, and whatever group-wide rights service accounts hold.",
  references: { cis: ["5.1.6"], nsa: ["Pod security: protecting Pod service account tokens"], kubescape: ["C-0034", "C-0190"], polaris: ["automountServiceAccountToken"] },
  needs: [
    { group: "", resource: "pods" },
    { group: "", resource: "serviceaccounts", optional: true },
    { group: "rbac.authorization.k8s.io", resource: "rolebindings", optional: true },
    { group: "rbac.authorization.k8s.io", resource: "clusterrolebindings", optional: true },
  ],
  // Pods on the default ServiceAccount are judged by default-service-account.
  appliesTo: (w) => serviceAccountNameOf(w) !== "default",
  evaluateWorkload(w, ctx) {
    const token = tokenMountOf(w, ctx);
    if (token.mounted === false) return pass();
    const sa = serviceAccountNameOf(w);
    if (token.mounted === "unknown") return unknown(`ServiceAccount ${w.namespace}/${sa} could not be read: whether it turns off token automount is unknown`, token.podPath);
    if (TOKEN_CONSUMERS.some(([key, value]) => w.podAnnotations[key] === value)) return pass();
    const rbac = ctx.inventory.rbac;
    const bound = rbac.bindingsOf({ kind: "ServiceAccount", name: sa, namespace: w.namespace }).length > 0 || rbac.bindingsOf({ kind: "User", name: `system:serviceaccount:${w.namespace}:${sa}` }).length > 0;
    if (bound) return pass();
    if (!ctx.canSee("rbac.authorization.k8s.io", "rolebindings") || !ctx.canSee("rbac.authorization.k8s.io", "clusterrolebindings")) {
      return unknown(`token of ServiceAccount ${w.namespace}/${sa} is mounted; whether it has RBAC bindings is unknown (bindings could not be listed)`, token.podPath);
    }
    const where = token.decidedBy === "pod" ? "automountServiceAccountToken: true on the pod" : token.decidedBy === "serviceaccount" ? `automountServiceAccountToken: true on ServiceAccount ${sa}` : "automount is on by default";
    return fail(token.podPath, `pod mounts the token of ServiceAccount ${w.namespace}/${sa} (${where}), but no RoleBinding or ClusterRoleBinding names that account: set automountServiceAccountToken: false unless the app authenticates with it`);
  },
  guide: `
A workload fails when its pods get their ServiceAccount token mounted while no RoleBinding or ClusterRoleBinding names that ServiceAccount: the app has no rights of its own to use the token for. Pods whose token is consumed by a known injector (Vault agent, \`vault.hashicorp.com/agent-inject: "true"\`) pass. Workloads on the \`default\` ServiceAccount are judged by the default-service-account check. The pod's \`automountServiceAccountToken\` wins over the ServiceAccount's.

If the app authenticates to something else with its token (an external Vault, a cloud federation), keep the token and exempt the workload with \`ramparts.dev/exempt: service-account-token-automount\`, or better, request a dedicated audience-bound token with a projected volume and keep automount off.

## Fix

~~~yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      serviceAccountName: web
      automountServiceAccountToken: false
~~~

Or on the ServiceAccount, for every pod that uses it:

~~~sh
kubectl patch serviceaccount web -n shop -p '{"automountServiceAccountToken": false}'
~~~

## Prevent

Make "no token" the default with Kyverno, mutating new ServiceAccounts:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: serviceaccount-no-automount
spec:
  rules:
    - name: default-automount-off
      match:
        any:
          - resources:
              kinds: [ServiceAccount]
      exclude:
        any:
          - resources:
              namespaces: [kube-system]
      mutate:
        patchStrategicMerge:
          +(automountServiceAccountToken): false
~~~

Pods that really call the API then opt in with \`automountServiceAccountToken: true\` in their pod spec.
`,
});
