import { defineWorkloadCheck, fail, pass, unknown } from "@/lib/engine/checks/define";
import { hasProjectedToken, serviceAccountNameOf, serviceAccountPathOf, tokenMountOf } from "@/lib/engine/checks/helpers/service-account-token";
import { describeBinding } from "@/lib/engine/checks/helpers/rbac-grants";

export const defaultServiceAccount = defineWorkloadCheck({
  id: "default-service-account",
  title: "Workloads that hold an API token run under their own ServiceAccount",
  layer: 2,
  severity: "medium",
  scope: "workload",
  why: "Every pod that names no ServiceAccount runs as its namespace's `default` one. Its token is shared by all of them, so a right granted to one app through `default` is granted to every pod of the namespace, and nobody can tell from the audit log which workload used it. A dedicated ServiceAccount per workload keeps rights, and blame, separate.",
  references: { cis: ["5.1.5"], nsa: ["Pod security: protecting Pod service account tokens"], kubescape: ["C-0189"] },
  needs: [{ group: "", resource: "pods" }, { group: "", resource: "serviceaccounts", optional: true }, { group: "rbac.authorization.k8s.io", resource: "rolebindings", optional: true }, { group: "rbac.authorization.k8s.io", resource: "clusterrolebindings", optional: true }],
  evaluateWorkload(w, ctx) {
    if (serviceAccountNameOf(w) !== "default") return pass();
    const token = tokenMountOf(w, ctx);
    // Without a token the pod has no API identity: which account it names does not matter.
    if (token.mounted === false && !hasProjectedToken(w)) return pass();
    if (token.mounted === "unknown") return unknown(`runs as the default ServiceAccount; whether its token is mounted depends on the ServiceAccount, which could not be read`, serviceAccountPathOf(w));
    const bindings = ctx.inventory.rbac.bindingsOf({ kind: "ServiceAccount", name: "default", namespace: w.namespace });
    const bound = bindings.length > 0 ? `, which is bound by ${bindings.slice(0, 2).map(describeBinding).join(", ")}${bindings.length > 2 ? ` and ${bindings.length - 2} more` : ""}` : "";
    const how = token.mounted === false ? "a projected token of" : "the mounted token of";
    return fail(serviceAccountPathOf(w), `pod runs with ${how} namespace ${w.namespace}'s default ServiceAccount${bound}; give it a dedicated ServiceAccount (or set automountServiceAccountToken: false if it never calls the API)`);
  },
  guide: `
A workload on the \`default\` ServiceAccount fails when its pods get a token (automounted, or requested through a projected volume). A pod on \`default\` with \`automountServiceAccountToken: false\` (set on the pod or on the ServiceAccount) has no API identity and passes.

## Fix

Create a ServiceAccount per workload, and stop mounting the default one's token:

~~~yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: shop
automountServiceAccountToken: false   # mount only in pods that call the API
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      serviceAccountName: web
      automountServiceAccountToken: false   # true only if the app calls the Kubernetes API
~~~

~~~sh
# keep the default ServiceAccount of each namespace token-less
kubectl patch serviceaccount default -n shop -p '{"automountServiceAccountToken": false}'
~~~

## Prevent

Require a named ServiceAccount with Kyverno (pods without a token are allowed):

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-dedicated-serviceaccount
spec:
  background: true
  rules:
    - name: no-default-serviceaccount-with-token
      match:
        any:
          - resources:
              kinds: [Pod]
      exclude:
        any:
          - resources:
              namespaces: [kube-system]
      validate:
        failureAction: Enforce
        message: "Pods that mount an API token must use a dedicated ServiceAccount."
        deny:
          conditions:
            all:
              - key: "{{ request.object.spec.serviceAccountName || 'default' }}"
                operator: Equals
                value: default
              - key: "{{ to_string(request.object.spec.automountServiceAccountToken) }}"
                operator: NotEquals
                value: "false"
~~~
`,
});
