import { defineNamespaceCheck, fail, pass, RESOURCE_ITSELF, unknown } from "@/lib/engine/checks/define";
import { defaultDenyCoverage, POLICY_SOURCES } from "@/lib/engine/checks/helpers/default-deny";

export const defaultDenyEgress = defineNamespaceCheck({
  id: "default-deny-egress",
  title: "Every namespace denies egress by default",
  layer: 3,
  severity: "medium",
  scope: "namespace",
  why: "With open egress, a compromised pod can download tooling, reach the cloud metadata endpoint for node credentials, scan and attack other namespaces, and send stolen data or a reverse shell to any address on the internet. A default-deny egress policy limits it to the destinations its app was meant to reach (DNS, its database, a few APIs).",
  references: { cis: ["5.3.2"], nsa: ["Network separation and hardening: network policies"], kubescape: ["C-0030"] },
  needs: [{ group: "networking.k8s.io", resource: "networkpolicies" }, ...POLICY_SOURCES.map((s) => ({ ...s, optional: true }))],
  evaluateNamespace(ns, ctx) {
    const result = defaultDenyCoverage(ns, ctx, "Egress");
    if (result.covered) return pass();
    if (result.unknownReason) return unknown(`no default-deny egress policy found, but ${result.unknownReason}`);
    const others = result.policyCount > 0 ? `; its ${result.policyCount} polic${result.policyCount === 1 ? "y selects" : "ies select"} only some pods, leave egress out or allow every destination` : "";
    return fail(RESOURCE_ITSELF, `namespace ${ns.name} has no default-deny egress policy (podSelector: {} with policyTypes: [Egress])${others}`);
  },
  guide: `
Add a policy that selects every pod and allows no egress except DNS, then allow each app's real destinations. A policy that only allows DNS (or only some ports or peers) is a correct default deny; one with an egress rule open to every destination (\`- {}\`, \`0.0.0.0/0\`, Cilium \`toEntities: [world]\`) is not. Cilium, Calico and BaselineAdminNetworkPolicy equivalents count (a BaselineAdminNetworkPolicy must deny both every namespace and \`networks: [0.0.0.0/0]\`).

## Fix

~~~yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-egress
  namespace: <namespace>
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    # DNS only; everything else is denied until another policy allows it
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
---
# then, per app, what it needs:
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api-to-postgres
  namespace: <namespace>
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes: [Egress]
  egress:
    - to:
        - podSelector:
            matchLabels:
              app: postgres
      ports:
        - port: 5432
~~~

Roll it out in audit first where the CNI allows it (Cilium \`policy-audit-mode\`, Calico staged policies) and watch dropped flows (Hubble, Calico flow logs) before enforcing.

## Prevent

Generate the policy for every new namespace (Kyverno \`generate\` with \`synchronize: true\`, as for default-deny ingress):

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: add-default-deny-egress
spec:
  rules:
    - name: default-deny-egress
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
        name: default-deny-egress
        namespace: "{{request.object.metadata.name}}"
        synchronize: true
        data:
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
`,
});
