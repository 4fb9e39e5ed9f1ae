import type { KubeObject } from "@/lib/snapshot/schema";
import { CLUSTER_RESOURCE, defineCheck, fail, notApplicable, pass, unknown } from "@/lib/engine/checks/define";
import { asRecord, asString, labelsOf, type UnknownRecord } from "@/lib/engine/model/kube";
import type { CheckContext } from "@/lib/engine/model/check";
import { isRedacted } from "@/lib/snapshot/redaction";

const CILIUM_AGENT_IMAGE = /(^|\/)cilium\/cilium([:@]|$)/;

/** The Cilium agent DaemonSet, wherever it runs (kube-system by default). */
function ciliumAgent(ctx: CheckContext): KubeObject | undefined {
  for (const w of ctx.inventory.allWorkloads) {
    if (w.kind !== "DaemonSet") continue;
    if (labelsOf(w.object)["k8s-app"] === "cilium" || ctx.inventory.containersOf(w).some((c) => CILIUM_AGENT_IMAGE.test(c.image ?? ""))) return w.object;
  }
  return undefined;
}

/** kube-system/cilium-config, or a cilium-config in the namespace of the agent (Helm installs into another namespace). */
function ciliumConfig(ctx: CheckContext, agent: KubeObject | undefined): KubeObject | undefined {
  const inv = ctx.inventory;
  const agentNs = agent ? inv.namespaceOf(agent) : undefined;
  return (
    inv.get("", "ConfigMap", "kube-system", "cilium-config") ??
    (agentNs ? inv.get("", "ConfigMap", agentNs, "cilium-config") : undefined) ??
    inv.ofType("", "ConfigMap").find((c) => c.metadata.name === "cilium-config")
  );
}

export const ciliumPolicyEnforcement = defineCheck({
  id: "cilium-policy-enforcement",
  title: "Cilium enforces network policies",
  layer: 3,
  severity: "high",
  scope: "cluster",
  why: "With Cilium's policy enforcement mode set to never, or policy audit mode on, every NetworkPolicy and CiliumNetworkPolicy in the cluster is ignored: the policies look correct in Git and in the API, yet all traffic flows. Namespaces that seem isolated are open to any compromised pod.",
  references: { cis: ["5.3.1"], nsa: ["Network separation and hardening: network policies"], kubescape: ["C-0205"] },
  needs: [
    { group: "", resource: "configmaps", optional: true },
    { group: "apps", resource: "daemonsets", optional: true },
    { group: "cilium.io", resource: "ciliumnetworkpolicies", optional: true },
  ],
  evaluate(ctx) {
    const agent = ciliumAgent(ctx);
    const config = ciliumConfig(ctx, agent);
    // Cilium policies in the input mean Cilium runs even when its DaemonSet was not collected.
    const policies = ctx.inventory.ofType("cilium.io", "CiliumNetworkPolicy").length + ctx.inventory.ofType("cilium.io", "CiliumClusterwideNetworkPolicy").length;
    if (!agent && !config && policies === 0) {
      ctx.record({ resource: CLUSTER_RESOURCE }, notApplicable());
      return;
    }
    if (!config) {
      const why =
        ctx.mode === "manifests"
          ? "the cilium-config ConfigMap is not in the input"
          : "kube-system/cilium-config is not in the snapshot (the agent reads it by name: check its Role and its --named-configmaps setting)";
      ctx.record({ resource: agent ?? CLUSTER_RESOURCE }, unknown(`Cilium is installed, but its policy enforcement mode cannot be read: ${why}`));
      return;
    }
    const data = asRecord((config as UnknownRecord).data) ?? {};
    const mode = asString(data["enable-policy"]);
    if (mode !== undefined && isRedacted(mode)) {
      ctx.record({ resource: config }, unknown("the value of enable-policy was redacted", 'data["enable-policy"]'));
      return;
    }
    const normalized = (mode ?? "default").trim().toLowerCase();
    if (normalized === "never") {
      ctx.record({ resource: config }, fail('data["enable-policy"]', "enable-policy is never: Cilium ignores every NetworkPolicy and CiliumNetworkPolicy"));
      return;
    }
    if (normalized !== "default" && normalized !== "always") {
      ctx.record({ resource: config }, unknown(`enable-policy has an unexpected value "${normalized.slice(0, 40)}"`, 'data["enable-policy"]'));
      return;
    }
    const audit = asString(data["policy-audit-mode"]);
    if (audit !== undefined && isRedacted(audit)) {
      ctx.record({ resource: config }, unknown("the value of policy-audit-mode was redacted", 'data["policy-audit-mode"]'));
      return;
    }
    if (audit?.trim().toLowerCase() === "true") {
      ctx.record({ resource: config }, fail('data["policy-audit-mode"]', "policy-audit-mode is true: Cilium only logs policy verdicts and lets denied traffic through"));
      return;
    }
    ctx.record({ resource: config }, pass());
  },
  guide: `
Set the enforcement mode to \`default\` (a pod is isolated in a direction as soon as a policy selects it for that direction) or \`always\` (every pod is denied unless allowed), and turn policy audit mode off once the policies are tested.

## Fix

With Helm:

~~~sh
helm upgrade cilium cilium/cilium -n kube-system --reuse-values \\
  --set policyEnforcementMode=default \\
  --set policyAuditMode=false
kubectl -n kube-system rollout restart daemonset/cilium
~~~

or directly in the ConfigMap:

~~~yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: cilium-config
  namespace: kube-system
data:
  enable-policy: default
  policy-audit-mode: "false"
~~~

Check each node's view with \`kubectl -n kube-system exec ds/cilium -- cilium-dbg config | grep -i policy\`.

## Prevent

Keep the Cilium values in Git (Argo CD or Flux) so a manual edit is reverted, and restrict who may change the ConfigMap: only the GitOps controller should hold \`update\` on \`configmaps\` in kube-system. A Kyverno policy can reject the weakening itself:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: cilium-enforce-policies
spec:
  rules:
    - name: no-policy-bypass
      match:
        any:
          - resources:
              kinds: [ConfigMap]
              names: [cilium-config]
              namespaces: [kube-system]
      validate:
        failureAction: Enforce
        message: "Cilium must enforce network policies."
        deny:
          conditions:
            any:
              - {key: "{{ request.object.data.\\"enable-policy\\" || '' }}", operator: Equals, value: never}
              - {key: "{{ request.object.data.\\"policy-audit-mode\\" || '' }}", operator: Equals, value: "true"}
~~~
`,
});
