import { defineNamespaceCheck, fail, pass, RESOURCE_ITSELF, unknown } from "@/lib/engine/checks/define";
import { policiesApplyingTo, SCOPE_POLICY_SOURCES } from "@/lib/engine/checks/helpers/network-policy-scope";

export const namespaceNetworkPolicy = defineNamespaceCheck({
  id: "namespace-network-policy",
  title: "Every namespace is governed by at least one network policy",
  layer: 3,
  severity: "medium",
  scope: "namespace",
  why: "A namespace that no network policy selects is a flat network: its pods accept connections from every pod in the cluster and can reach any address, and nothing records which flows were intended. It is the first thing an attacker who lands in one pod exploits to move sideways, and the sign that segmentation was never started for that namespace.",
  references: { cis: ["5.3.2"], nsa: ["Network separation and hardening: network policies"], kubescape: ["C-0054", "C-0206"], polaris: ["missingNetworkPolicy"] },
  needs: [{ group: "networking.k8s.io", resource: "networkpolicies" }, ...SCOPE_POLICY_SOURCES.map((s) => ({ ...s, optional: true }))],
  evaluateNamespace(ns, ctx) {
    const scope = policiesApplyingTo(ns, ctx);
    if (scope.policies.length > 0) return pass();
    if (scope.unknownReason) return unknown(`no network policy found for namespace ${ns.name}, but ${scope.unknownReason}`);
    return fail(
      RESOURCE_ITSELF,
      `namespace ${ns.name} has no network policy at all (no NetworkPolicy, Cilium or Calico policy in it, and no cluster-wide policy selects it)`,
    );
  },
  guide: `
Start every namespace with a default deny in both directions, then allow the flows each app needs (DNS first). Kubernetes NetworkPolicies, Cilium, Calico and AdminNetworkPolicy objects all count; cluster-wide policies count when they select the namespace.

## Fix

~~~yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: <namespace>
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: <namespace>
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - {port: 53, protocol: UDP}
        - {port: 53, protocol: TCP}
~~~

Find the namespaces still without a policy:

~~~sh
comm -23 <(kubectl get ns -o name | cut -d/ -f2 | sort) \\
  <(kubectl get networkpolicy -A --no-headers | awk '{print $1}' | sort -u)
~~~

## Prevent

Generate the policy with every namespace, so none is created open. With Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: add-default-deny
spec:
  rules:
    - name: default-deny
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
        name: default-deny
        namespace: "{{request.object.metadata.name}}"
        synchronize: true
        data:
          spec:
            podSelector: {}
            policyTypes: [Ingress, Egress]
~~~

Remember that the CNI must enforce policies (Calico, Cilium, Antrea, the cloud providers' policy options; plain flannel ignores them).
`,
});
