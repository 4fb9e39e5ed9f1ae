import { defineNamespaceCheck, fail, pass, unknown } from "@/lib/engine/checks/define";
import type { KubeObject } from "@/lib/snapshot/schema";
import { joinPath, type UnknownRecord } from "@/lib/engine/model/kube";
import type { Inventory } from "@/lib/engine/inventory/inventory";
import type { CheckContext } from "@/lib/engine/model/check";
import type { NamespaceInfo } from "@/lib/engine/inventory/namespaces";
import {
  gatekeeperConstraints,
  gatekeeperCoversPods,
  gatekeeperExcludedNamespaces,
  gatekeeperMode,
  isPodSecurityCategory,
  kyvernoCheckRules,
  kyvernoPodSecurityLevel,
  kyvernoPolicies,
  kyvernoRuleCoversPods,
} from "@/lib/engine/checks/helpers/admission-policies";
import { apiServerFlagSources } from "@/lib/engine/checks/helpers/api-server-flags";

const ENFORCE = "pod-security.kubernetes.io/enforce";
const ENFORCE_PATH = joinPath("metadata.labels", ENFORCE);
const ENFORCING_LEVELS = new Set(["baseline", "restricted"]);

interface PodSecurityEngines {
  /** Kyverno rules that enforce Pod Security: the policy and the rule. */
  kyverno: { policy: KubeObject; rule: UnknownRecord }[];
  gatekeeper: KubeObject[];
  gatekeeperExcluded: string[];
  /** Why unlabelled namespaces may be enforced by a cluster default that cannot be read, if so. */
  hiddenDefault: string | undefined;
}

/** Computed once per evaluation (the check runs per namespace). */
const engineCache = new WeakMap<Inventory, PodSecurityEngines>();

function podSecurityEngines(ctx: CheckContext): PodSecurityEngines {
  const inv = ctx.inventory;
  let cached = engineCache.get(inv);
  if (cached) return cached;
  const kyverno: PodSecurityEngines["kyverno"] = [];
  for (const policy of kyvernoPolicies(inv)) {
    const category = isPodSecurityCategory(policy);
    for (const r of kyvernoCheckRules(policy)) {
      if (r.type !== "validate" || !r.mode.enforcing) continue;
      const level = kyvernoPodSecurityLevel(r.rule);
      if (category || (level !== undefined && ENFORCING_LEVELS.has(level))) kyverno.push({ policy, rule: r.rule });
    }
  }
  const gatekeeper = gatekeeperConstraints(inv).filter((c) => c.kind === "K8sPSPPrivilegedContainer" && gatekeeperMode(c).enforcing);
  cached = { kyverno, gatekeeper, gatekeeperExcluded: gatekeeperExcludedNamespaces(inv), hiddenDefault: hiddenClusterDefault(ctx) };
  engineCache.set(inv, cached);
  return cached;
}

/**
 * The external engine that enforces Pod Security Standards on the namespace's pods, if any:
 * a Kyverno rule in Enforce mode with validate.podSecurity at baseline or restricted (or from the
 * "Pod Security Standards" policy library), or a Gatekeeper K8sPSPPrivilegedContainer constraint
 * in deny mode, matching Pods in the namespace.
 */
function externalEnforcer(ns: NamespaceInfo, ctx: CheckContext): string | undefined {
  const engines = podSecurityEngines(ctx);
  for (const { policy, rule } of engines.kyverno) {
    if (kyvernoRuleCoversPods(policy, rule, ns, ctx.inventory)) return `Kyverno ${policy.kind} ${policy.metadata.name}`;
  }
  for (const c of engines.gatekeeper) {
    if (gatekeeperCoversPods(c, ns, engines.gatekeeperExcluded)) return `Gatekeeper ${c.kind} ${c.metadata.name}`;
  }
  return undefined;
}

/** Why namespaces without a label may still be enforced by a cluster-wide default we cannot read, if so. */
function hiddenClusterDefault(ctx: CheckContext): string | undefined {
  for (const source of apiServerFlagSources(ctx.inventory)) {
    if (source.flags.has("--admission-control-config-file")) return "the API server has --admission-control-config-file, which may set cluster-wide Pod Security defaults (not visible through the API)";
    if (source.flags.has("--pod-security-admission-config-file")) return "the server has --pod-security-admission-config-file, which may set cluster-wide Pod Security defaults (not visible through the API)";
    const profile = source.flags.get("--profile")?.value;
    if (profile !== undefined && profile.startsWith("cis")) return `RKE2 runs with --profile ${profile}, whose default Pod Security configuration may apply (not visible through the API)`;
  }
  return undefined;
}

export const podSecurityAdmission = defineNamespaceCheck({
  id: "pod-security-admission",
  title: "Namespaces enforce the baseline or restricted Pod Security Standard",
  layer: 2,
  severity: "high",
  scope: "namespace",
  why: "Without an enforcing admission control, any identity that may create a pod in the namespace may create a privileged one, share the node's namespaces or mount its filesystem, and take over the node. The `warn` and `audit` modes only report: the pod is still admitted.",
  references: { cis: ["5.2.1"], nsa: ["Pod security: Pod security enforcement"], kubescape: ["C-0192"] },
  needs: [
    { group: "", resource: "namespaces" },
    { group: "kyverno.io", resource: "clusterpolicies", optional: true },
    { group: "kyverno.io", resource: "policies", optional: true },
    { group: "templates.gatekeeper.sh", resource: "constrainttemplates", optional: true },
  ],
  evaluateNamespace(ns, ctx) {
    const value = ns.labels[ENFORCE];
    if (value !== undefined && ENFORCING_LEVELS.has(value)) return pass();
    if (externalEnforcer(ns, ctx)) return pass();
    if (ctx.cluster.provider === "openshift") return pass();
    if (value === "privileged") return fail(ENFORCE_PATH, `namespace ${ns.name} enforces the privileged level, which allows everything; enforce baseline or restricted`);
    if (value !== undefined) return fail(ENFORCE_PATH, `namespace ${ns.name} has an invalid enforce level "${value}" (expected baseline or restricted)`);
    const soft = ["warn", "audit"].filter((mode) => ns.labels[`pod-security.kubernetes.io/${mode}`] !== undefined);
    const hidden = podSecurityEngines(ctx).hiddenDefault;
    if (hidden) return unknown(`namespace ${ns.name} has no ${ENFORCE} label; ${hidden}`, ENFORCE_PATH);
    const engines = ["kyverno.io/clusterpolicies", "kyverno.io/policies", "templates.gatekeeper.sh/constrainttemplates"].filter((k) => {
      const [group, resource] = k.split("/") as [string, string];
      return !ctx.canSee(group, resource);
    });
    if (engines.length > 0) return unknown(`namespace ${ns.name} has no ${ENFORCE} label, and policy engines that could enforce instead could not be read (${engines.join(", ")})`, ENFORCE_PATH);
    const softText = soft.length > 0 ? ` (only ${soft.join(" and ")} ${soft.length > 1 ? "are" : "is"} set: violating pods are still admitted)` : "";
    return fail(ENFORCE_PATH, `namespace ${ns.name} has no ${ENFORCE} label and no admission policy enforcing Pod Security${softText}`);
  },
  guide: `
A namespace passes when it carries \`pod-security.kubernetes.io/enforce: baseline\` or \`restricted\`, or when an external engine enforces the Pod Security Standards on its pods: a Kyverno rule in Enforce mode with \`validate.podSecurity\` at baseline or restricted (or from Kyverno's "Pod Security Standards" policy library), or a Gatekeeper \`K8sPSPPrivilegedContainer\` constraint in deny mode, whose match covers Pods in the namespace. On OpenShift, Security Context Constraints enforce pod security for every namespace. \`enforce: privileged\`, or only \`warn\`/\`audit\` labels, fail. When the API server sets cluster-wide defaults in an admission configuration file (not readable through the API), an unlabelled namespace is reported as unknown. Namespaces without workloads are not applicable.

## Fix

~~~sh
# see what would be rejected first (dry run: the API server answers with warnings)
kubectl label --dry-run=server --overwrite ns shop pod-security.kubernetes.io/enforce=restricted
kubectl label --overwrite ns shop \\
  pod-security.kubernetes.io/enforce=restricted \\
  pod-security.kubernetes.io/enforce-version=latest \\
  pod-security.kubernetes.io/warn=restricted \\
  pod-security.kubernetes.io/audit=restricted
~~~

~~~yaml
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/warn: restricted
    pod-security.kubernetes.io/audit: restricted
~~~

Use \`baseline\` for namespaces whose workloads cannot run restricted yet, and keep node agents that need host access in a dedicated namespace.

## Prevent

Give every new namespace the label, and stop anyone from weakening it, with Kyverno:

~~~yaml
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-pod-security-enforce
spec:
  background: true
  rules:
    - name: enforce-label-required
      match:
        any:
          - resources:
              kinds: [Namespace]
      exclude:
        any:
          - resources:
              names: [kube-system, kube-public, kube-node-lease]
      validate:
        failureAction: Enforce
        message: "Namespaces must enforce the baseline or restricted Pod Security Standard."
        pattern:
          metadata:
            labels:
              pod-security.kubernetes.io/enforce: "baseline | restricted"
~~~

Or set a cluster-wide default in the API server's admission configuration (\`PodSecurity\` plugin, \`defaults.enforce: baseline\`).
`,
});
