import type { KubeObject } from "@/lib/snapshot/schema";
import { CLUSTER_RESOURCE, defineCheck, fail, notApplicable, pass, RESOURCE_ITSELF, unknown } from "@/lib/engine/checks/define";
import type { CheckContext, CheckOutcome } from "@/lib/engine/model/check";
import { detectorName } from "@/lib/engine/checks/5-runtime-audit/runtime-detector";

const TETRAGON_POLICIES = [
  { group: "cilium.io", kind: "TracingPolicy", resource: "tracingpolicies" },
  { group: "cilium.io", kind: "TracingPolicyNamespaced", resource: "tracingpoliciesnamespaced" },
] as const;
const KUBEARMOR_POLICIES = [
  { group: "security.kubearmor.com", kind: "KubeArmorPolicy", resource: "kubearmorpolicies" },
  { group: "security.kubearmor.com", kind: "KubeArmorClusterPolicy", resource: "kubearmorclusterpolicies" },
  { group: "security.kubearmor.com", kind: "KubeArmorHostPolicy", resource: "kubearmorhostpolicies" },
] as const;

/** Detectors whose detection rules ship with them (Falco's default ruleset, Tracee's signatures, vendors' managed policies). */
const BUILT_IN_RULES = new Set(["Falco", "Tracee", "Sysdig agent", "Kubescape node-agent", "NeuVector enforcer", "Aqua enforcer"]);

function policiesOf(ctx: CheckContext, sources: readonly { group: string; kind: string; resource: string }[]): { policies: KubeObject[]; unseen: string[] } {
  const policies = sources.flatMap((s) => [...ctx.inventory.ofType(s.group, s.kind)]);
  const unseen = sources.filter((s) => !ctx.canSee(s.group, s.resource)).map((s) => `${s.resource}.${s.group}`);
  return { policies, unseen };
}

function judge(name: string, ctx: CheckContext): CheckOutcome {
  if (BUILT_IN_RULES.has(name)) return pass();
  if (name === "Tetragon") {
    const { policies, unseen } = policiesOf(ctx, TETRAGON_POLICIES);
    if (policies.length > 0) return pass();
    if (unseen.length > 0) return unknown(`Tetragon runs, but its TracingPolicies could not be listed (${unseen.join(", ")})`);
    return fail(RESOURCE_ITSELF, "Tetragon runs without any TracingPolicy: it reports process starts and exits only, nothing about file access, network or privilege changes");
  }
  if (name === "KubeArmor") {
    const { policies, unseen } = policiesOf(ctx, KUBEARMOR_POLICIES);
    if (policies.length > 0) return pass();
    if (unseen.length > 0) return unknown(`KubeArmor runs, but its policies could not be listed (${unseen.join(", ")})`);
    return fail(RESOURCE_ITSELF, "KubeArmor runs without any KubeArmorPolicy, KubeArmorClusterPolicy or KubeArmorHostPolicy: it alerts on nothing");
  }
  return unknown(`${name} runs; whether it has detection rules is not visible through the API`);
}

export const runtimeDetectionPolicies = defineCheck({
  id: "runtime-detection-policies",
  title: "The runtime detector has detection policies loaded",
  layer: 5,
  severity: "medium",
  scope: "cluster",
  why: "A runtime detector only reports what its rules describe. Tetragon with no TracingPolicy sees process starts and exits but no file tampering, credential access or privilege change; KubeArmor with no policy alerts on nothing. Installed but unconfigured, the detector gives a false sense of coverage.",
  references: { nsa: ["Audit logging and threat detection: threat detection"] },
  needs: [
    { group: "apps", resource: "daemonsets" },
    ...TETRAGON_POLICIES.map((s) => ({ group: s.group, resource: s.resource, optional: true })),
    ...KUBEARMOR_POLICIES.map((s) => ({ group: s.group, resource: s.resource, optional: true })),
  ],
  evaluate(ctx) {
    const detectors: { ds: KubeObject; name: string }[] = [];
    for (const w of ctx.inventory.allWorkloads) {
      if (w.kind !== "DaemonSet") continue;
      const name = detectorName(w.object, ctx.inventory.containersOf(w).map((c) => c.image ?? ""));
      if (name) detectors.push({ ds: w.object, name });
    }
    if (detectors.length === 0) {
      // No detector at all is the runtime-detector check's failure.
      ctx.record({ resource: CLUSTER_RESOURCE }, notApplicable());
      return;
    }
    const judged = detectors.map((d) => ({ ...d, outcome: judge(d.name, ctx) }));
    // One detector with rules covers the cluster; the others are then not applicable.
    const passing = judged.filter((j) => j.outcome.status === "pass");
    if (passing.length > 0) {
      for (const j of judged) ctx.record({ resource: j.ds }, j.outcome.status === "pass" ? j.outcome : notApplicable());
      return;
    }
    for (const j of judged) ctx.record({ resource: j.ds }, j.outcome);
  },
  guide: `
Falco ships its default ruleset (and the Helm chart keeps it up to date with falcoctl), as do Tracee and the commercial agents (Sysdig, NeuVector, Aqua, Kubescape's node agent): they pass when they run. Tetragon needs at least one TracingPolicy (or TracingPolicyNamespaced) and KubeArmor at least one KubeArmorPolicy, KubeArmorClusterPolicy or KubeArmorHostPolicy. When several detectors run, one with rules is enough. Whether the rules are kept current, and whether they alert anyone, is not visible through the API.

## Fix

Tetragon: load policies for the behaviours you want to see, and enforce where safe (\`Sigkill\`, \`Override\`):

~~~yaml
apiVersion: cilium.io/v1alpha1
kind: TracingPolicy
metadata:
  name: protect-sensitive-files
spec:
  kprobes:
    - call: security_file_permission
      syscall: false
      args:
        - {index: 0, type: file}
        - {index: 1, type: int}
      selectors:
        - matchArgs:
            - {index: 0, operator: Prefix, values: [/etc/shadow, /etc/sudoers, /root/.ssh]}
            - {index: 1, operator: Equal, values: ["2"]}   # MAY_WRITE
          matchActions:
            - action: Sigkill
~~~

KubeArmor: start with a cluster policy in Audit, then Block:

~~~yaml
apiVersion: security.kubearmor.com/v1
kind: KubeArmorClusterPolicy
metadata:
  name: block-package-managers
spec:
  selector:
    matchExpressions:
      - {key: namespace, operator: NotIn, values: [kube-system]}
  process:
    matchPaths:
      - {path: /usr/bin/apt}
      - {path: /usr/bin/apk}
  action: Block
~~~

Falco: add your own rules next to the defaults (Helm value \`customRules\`), and follow the official ruleset with falcoctl.

## Prevent

Keep detection policies in Git next to the detector's Helm release (a TracingPolicy or KubeArmor policy in the same Kustomization), so a reinstall brings them back, and alert when the detector reports no rule loaded (Falco exposes its loaded rules as metrics; Tetragon \`tetragon_tracingpolicy_loaded\`).
`,
});
