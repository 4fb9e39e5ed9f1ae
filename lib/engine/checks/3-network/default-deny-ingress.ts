import { defineNamespaceCheck, fail, pass, RESOURCE_ITSELF, unknown } from "@/lib/engine/checks/define";
import { defaultDenyCoverage, POLICY_SOURCES } from "@/lib/engine/checks/helpers/default-deny";

export const defaultDenyIngress = defineNamespaceCheck({
  id: "default-deny-ingress",
  title: "Every namespace denies ingress by default",
  layer: 3,
  severity: "high",
  scope: "namespace",
  why: "Without a policy that isolates every pod, any pod in the cluster (or anything that reaches a node) can connect to every pod in the namespace. One compromised workload can then probe databases, admin ports and internal APIs freely. A default-deny policy makes every allowed path an explicit decision.",
  references: { cis: ["5.3.2"], nsa: ["Network separation and hardening: network policies"], kubescape: ["C-0054", "C-0260"], polaris: ["missingNetworkPolicy"] },
  needs: [{ group: "networking.k8s.io", resource: "networkpolicies" }, ...POLICY_SOURCES.map((s) => ({ ...s, optional: true }))],
  evaluateNamespace(ns, ctx) {
    const result = defaultDenyCoverage(ns, ctx, "Ingress");
    if (result.covered) return pass();
    if (result.unknownReason) return unknown(`no default-deny ingress policy found, but ${result.unknownReason}`);
    const others = result.policyCount > 0 ? `; its ${result.policyCount} polic${result.policyCount === 1 ? "y selects" : "ies select"} only some pods or allow all ingress` : "";
    return fail(RESOURCE_ITSELF, `namespace ${ns.name} has no default-deny ingress policy (podSelector: {} with policyTypes: [Ingress])${others}`);
  },
  guide: `
Add a policy that selects every pod in the namespace and allows no ingress, then add narrow allow policies for the traffic each app needs. Cilium, Calico and AdminNetworkPolicy equivalents count too.

## Fix

~~~yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: <namespace>
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
# then allow what is needed, for example the ingress controller to the web pods:
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-from-ingress-controller
  namespace: <namespace>
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress]
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ingress-nginx
      ports:
        - port: 8080
~~~

The CNI must enforce NetworkPolicy (Calico, Cilium, Antrea, the cloud providers' policy options; plain flannel does not).

With Cilium, a cluster-wide default deny for every namespace except kube-system:

~~~yaml
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata:
  name: default-deny-ingress
spec:
  endpointSelector:
    matchExpressions:
      - key: k8s:io.kubernetes.pod.namespace
        operator: NotIn
        values: [kube-system]
  ingress:
    - {}
~~~

## Prevent

Create the policy with every new namespace, so no namespace starts open. With Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: add-default-deny-ingress
spec:
  rules:
    - name: default-deny-ingress
      match:
        any:
          - resources:
              kinds: [Namespace]
      exclude:
        any:
          - resources:
              names: [kube-system, kube-public, kube-node-lease]
      generate:
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        name: default-deny-ingress
        namespace: "{{request.object.metadata.name}}"
        synchronize: true
        data:
          spec:
            podSelector: {}
            policyTypes: [Ingress]
~~~

\`synchronize: true\` recreates the policy if someone deletes it.
`,
});
