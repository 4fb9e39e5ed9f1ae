/**
 * Admission policy engines as the API shows them: Kyverno (ClusterPolicy/Policy and the CEL
 * policies.kyverno.io kinds), Gatekeeper constraints, ValidatingAdmissionPolicy bindings,
 * Kubewarden and sigstore policy-controller policies. For each policy: whether it blocks
 * (enforces) or only reports, the field that decides, and which namespaces it covers.
 */
import type { KubeObject } from "@/lib/snapshot/schema";
import { annotationsOf, asArray, asRecord, asString, type UnknownRecord } from "@/lib/engine/model/kube";
import { matchesLabelSelector } from "@/lib/engine/model/label-selector";
import type { Inventory } from "@/lib/engine/inventory/inventory";
import type { NamespaceInfo } from "@/lib/engine/inventory/namespaces";

export const KYVERNO_GROUP = "kyverno.io";
export const KYVERNO_CEL_GROUP = "policies.kyverno.io";
export const GATEKEEPER_CONSTRAINTS_GROUP = "constraints.gatekeeper.sh";
const ADMISSION_GROUP = "admissionregistration.k8s.io";

/** Lists an engine check reads, all optional (an engine that is not installed has none). */
export const ENGINE_SOURCES: readonly { group: string; resource: string }[] = [
  { group: KYVERNO_GROUP, resource: "clusterpolicies" },
  { group: KYVERNO_GROUP, resource: "policies" },
  { group: KYVERNO_CEL_GROUP, resource: "validatingpolicies" },
  { group: KYVERNO_CEL_GROUP, resource: "imagevalidatingpolicies" },
  { group: "templates.gatekeeper.sh", resource: "constrainttemplates" },
  { group: ADMISSION_GROUP, resource: "validatingadmissionpolicies" },
  { group: ADMISSION_GROUP, resource: "validatingadmissionpolicybindings" },
  { group: "policy.sigstore.dev", resource: "clusterimagepolicies" },
];

/** What a policy does when a request violates it, and the field that decides. */
export interface PolicyMode {
  enforcing: boolean;
  /** The value found ("Audit", "dryrun", "Warn, Audit", "unset (Audit)"). */
  value: string;
  /** Field that decides (where to fix it when not enforcing). */
  path: string;
}

const spec = (o: KubeObject): UnknownRecord => asRecord((o as UnknownRecord).spec) ?? {};
const isEnforce = (v: unknown) => typeof v === "string" && v.toLowerCase() === "enforce";

// ---------------------------------------------------------------- Kyverno (kyverno.io)

export function kyvernoPolicies(inv: Inventory): KubeObject[] {
  return [...inv.ofType(KYVERNO_GROUP, "ClusterPolicy"), ...inv.ofType(KYVERNO_GROUP, "Policy")];
}

export interface KyvernoCheckRule {
  policy: KubeObject;
  rule: UnknownRecord;
  index: number;
  /** "validate" rule, or one verifyImages entry. */
  type: "validate" | "verifyImages";
  /** Index inside verifyImages, for that type. */
  entry?: number;
  mode: PolicyMode;
}

/**
 * The rules of a Kyverno policy that can block a request (validate and verifyImages), each with
 * its effective action: the rule's failureAction, else the deprecated spec.validationFailureAction,
 * else Audit (Kyverno's default). Per-namespace overrides that enforce count as enforcing.
 */
export function kyvernoCheckRules(policy: KubeObject): KyvernoCheckRule[] {
  const s = spec(policy);
  const specAction = asString(s.validationFailureAction);
  const specOverrides = asArray(s.validationFailureActionOverrides).some((o) => isEnforce(asRecord(o)?.action));
  const out: KyvernoCheckRule[] = [];
  asArray(s.rules).forEach((r, index) => {
    const rule = asRecord(r);
    if (!rule) return;
    const base = `spec.rules[${index}]`;
    const validate = asRecord(rule.validate);
    if (validate) {
      const own = asString(validate.failureAction);
      const overrides = specOverrides || asArray(validate.failureActionOverrides).some((o) => isEnforce(asRecord(o)?.action));
      out.push({ policy, rule, index, type: "validate", mode: effectiveMode(own, `${base}.validate.failureAction`, specAction, overrides) });
    }
    asArray(rule.verifyImages).forEach((v, entry) => {
      const own = asString(asRecord(v)?.failureAction);
      out.push({ policy, rule, index, type: "verifyImages", entry, mode: effectiveMode(own, `${base}.verifyImages[${entry}].failureAction`, specAction, specOverrides) });
    });
  });
  return out;
}

function effectiveMode(own: string | undefined, ownPath: string, specAction: string | undefined, overridesEnforce: boolean): PolicyMode {
  if (own !== undefined) return { enforcing: isEnforce(own) || overridesEnforce, value: own, path: ownPath };
  if (specAction !== undefined) return { enforcing: isEnforce(specAction) || overridesEnforce, value: specAction, path: "spec.validationFailureAction" };
  return { enforcing: overridesEnforce, value: "no action set, Kyverno defaults to Audit", path: ownPath };
}

/** The namespaces a Kyverno rule applies to, for Pods: match/exclude on namespaces and namespaceSelector. */
export function kyvernoRuleCoversPods(policy: KubeObject, rule: UnknownRecord, ns: NamespaceInfo, inv: Inventory): boolean {
  if (policy.kind === "Policy" && inv.namespaceOf(policy) !== ns.name) return false;
  const match = asRecord(rule.match);
  if (!match) return false;
  const filters = (block: UnknownRecord | undefined, key: "any" | "all") => asArray(block?.[key]).map((f) => asRecord(asRecord(f)?.resources)).filter((f): f is UnknownRecord => f !== undefined);
  const legacy = asRecord(match.resources);
  const anyFilters = [...filters(match, "any"), ...(legacy ? [legacy] : [])];
  const allFilters = filters(match, "all");
  const matches = (f: UnknownRecord) => filterHasPods(f) && filterCoversNamespace(f, ns);
  const matched = (anyFilters.length > 0 && anyFilters.some(matches)) || (allFilters.length > 0 && allFilters.every(matches));
  if (!matched) return false;
  const exclude = asRecord(rule.exclude);
  const legacyExclude = asRecord(exclude?.resources);
  const excludes = [...filters(exclude, "any"), ...(legacyExclude ? [legacyExclude] : [])];
  const excludesAll = filters(exclude, "all");
  // Only exclusions by namespace remove the whole namespace; by name or subject they remove some requests.
  const nsOnly = (f: UnknownRecord) => Object.keys(f).every((k) => k === "namespaces" || k === "namespaceSelector" || k === "kinds") && (f.namespaces !== undefined || f.namespaceSelector !== undefined);
  if (excludes.some((f) => nsOnly(f) && filterCoversNamespace(f, ns) && filterHasPods(f))) return false;
  if (excludesAll.length > 0 && excludesAll.every((f) => nsOnly(f) && filterCoversNamespace(f, ns) && filterHasPods(f))) return false;
  return true;
}

function filterHasPods(f: UnknownRecord): boolean {
  const kinds = asArray(f.kinds).filter((k): k is string => typeof k === "string");
  if (kinds.length === 0) return f.kinds === undefined;
  return kinds.some((k) => k === "*" || k === "Pod" || k.endsWith("/Pod"));
}

function filterCoversNamespace(f: UnknownRecord, ns: NamespaceInfo): boolean {
  const names = asArray(f.namespaces).filter((n): n is string => typeof n === "string");
  if (names.length > 0 && !names.some((n) => globMatch(n, ns.name))) return false;
  if (f.namespaceSelector !== undefined && !matchesLabelSelector(f.namespaceSelector, namespaceLabels(ns))) return false;
  return true;
}

/** Namespace labels as the API server sees them: kubernetes.io/metadata.name is always set. */
export function namespaceLabels(ns: NamespaceInfo): Record<string, string> {
  return { ...ns.labels, "kubernetes.io/metadata.name": ns.name };
}

/** Kyverno and Gatekeeper namespace patterns: `*` any run of characters, `?` one character. */
export function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes("*") && !pattern.includes("?")) return pattern === value;
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return re.test(value);
}

// ---------------------------------------------------------------- Kyverno CEL policies (policies.kyverno.io)

export const KYVERNO_CEL_KINDS = ["ValidatingPolicy", "NamespacedValidatingPolicy", "ImageValidatingPolicy", "NamespacedImageValidatingPolicy"] as const;

export function kyvernoCelPolicies(inv: Inventory): KubeObject[] {
  return KYVERNO_CEL_KINDS.flatMap((k) => inv.ofType(KYVERNO_CEL_GROUP, k));
}

/** validationActions, as in ValidatingAdmissionPolicyBinding: Deny blocks; Audit and Warn only report. */
export function validationActionsMode(o: KubeObject): PolicyMode {
  const actions = asArray(spec(o).validationActions).filter((a): a is string => typeof a === "string");
  return { enforcing: actions.includes("Deny"), value: actions.length > 0 ? actions.join(", ") : "unset", path: "spec.validationActions" };
}

// ---------------------------------------------------------------- Gatekeeper

export function gatekeeperConstraints(inv: Inventory): KubeObject[] {
  // Indexed by the inventory: checks call this once per namespace.
  return [...inv.ofGroup(GATEKEEPER_CONSTRAINTS_GROUP)];
}

/** spec.enforcementAction: deny (the default), dryrun, warn, or scoped (per enforcement point, Gatekeeper 3.13+). */
export function gatekeeperMode(constraint: KubeObject): PolicyMode {
  const action = asString(spec(constraint).enforcementAction);
  if (action === undefined || action === "") return { enforcing: true, value: "unset (deny)", path: "spec.enforcementAction" };
  if (action === "scoped") {
    const scoped = asArray(spec(constraint).scopedEnforcementActions).some((s) => {
      const r = asRecord(s);
      if (asString(r?.action) !== "deny") return false;
      return asArray(r?.enforcementPoints).some((p) => ["validation.gatekeeper.sh", "*"].includes(asString(asRecord(p)?.name) ?? ""));
    });
    return { enforcing: scoped, value: "scoped", path: "spec.scopedEnforcementActions" };
  }
  return { enforcing: action === "deny", value: action, path: "spec.enforcementAction" };
}

/** Whether a constraint applies to Pods in the namespace (spec.match kinds, namespaces, excludedNamespaces, namespaceSelector). */
export function gatekeeperCoversPods(constraint: KubeObject, ns: NamespaceInfo, excludedByConfig: readonly string[]): boolean {
  if (excludedByConfig.some((p) => globMatch(p, ns.name))) return false;
  const match = asRecord(spec(constraint).match) ?? {};
  const kinds = asArray(match.kinds).map(asRecord).filter((k): k is UnknownRecord => k !== undefined);
  if (kinds.length > 0 && !kinds.some((k) => {
    const groups = asArray(k.apiGroups);
    const names = asArray(k.kinds);
    return (groups.length === 0 || groups.includes("") || groups.includes("*")) && (names.length === 0 || names.includes("Pod") || names.includes("*"));
  })) return false;
  const strings = (v: unknown) => asArray(v).filter((x): x is string => typeof x === "string");
  const included = strings(match.namespaces);
  if (included.length > 0 && !included.some((p) => globMatch(p, ns.name))) return false;
  if (strings(match.excludedNamespaces).some((p) => globMatch(p, ns.name))) return false;
  if (match.namespaceSelector !== undefined && !matchesLabelSelector(match.namespaceSelector, namespaceLabels(ns))) return false;
  return true;
}

/** Namespaces Gatekeeper's Config excludes from the admission webhook (processes "*" or "webhook"). */
export function gatekeeperExcludedNamespaces(inv: Inventory): string[] {
  const out: string[] = [];
  for (const config of inv.ofType("config.gatekeeper.sh", "Config")) {
    for (const m of asArray(spec(config).match)) {
      const r = asRecord(m);
      const processes = asArray(r?.processes);
      if (!processes.includes("*") && !processes.includes("webhook")) continue;
      for (const n of asArray(r?.excludedNamespaces)) if (typeof n === "string") out.push(n);
    }
  }
  return out;
}

// ---------------------------------------------------------------- ValidatingAdmissionPolicy

export interface VapBinding {
  binding: KubeObject;
  policy: KubeObject | undefined;
  policyName: string;
  mode: PolicyMode;
}

export function vapBindings(inv: Inventory): VapBinding[] {
  return inv.ofType(ADMISSION_GROUP, "ValidatingAdmissionPolicyBinding").map((binding) => {
    const policyName = asString(spec(binding).policyName) ?? "";
    const policy = inv.ofType(ADMISSION_GROUP, "ValidatingAdmissionPolicy").find((p) => p.metadata.name === policyName);
    return { binding, policy, policyName, mode: validationActionsMode(binding) };
  });
}

// ---------------------------------------------------------------- Other engines

/** Kubewarden policies: spec.mode protect (default) blocks, monitor only reports. */
export function kubewardenPolicies(inv: Inventory): KubeObject[] {
  return ["ClusterAdmissionPolicy", "AdmissionPolicy", "ClusterAdmissionPolicyGroup", "AdmissionPolicyGroup"].flatMap((k) => inv.ofType("policies.kubewarden.io", k));
}

export function kubewardenMode(o: KubeObject): PolicyMode {
  const mode = asString(spec(o).mode);
  return { enforcing: mode === undefined || mode === "protect", value: mode ?? "unset (protect)", path: "spec.mode" };
}

/** sigstore policy-controller ClusterImagePolicy: spec.mode enforce (default) or warn. */
export function clusterImagePolicyMode(o: KubeObject): PolicyMode {
  const mode = asString(spec(o).mode);
  return { enforcing: mode === undefined || mode === "enforce", value: mode ?? "unset (enforce)", path: "spec.mode" };
}

export function clusterImagePolicies(inv: Inventory): readonly KubeObject[] {
  return inv.ofType("policy.sigstore.dev", "ClusterImagePolicy");
}

/** Category annotation of Kyverno's Pod Security Standards policy library. */
export function isPodSecurityCategory(policy: KubeObject): boolean {
  return (annotationsOf(policy)["policies.kyverno.io/category"] ?? "").toLowerCase().startsWith("pod security standards");
}

/** validate.podSecurity.level of a Kyverno rule (baseline, restricted, privileged). */
export function kyvernoPodSecurityLevel(rule: UnknownRecord): string | undefined {
  return asString(asRecord(asRecord(rule.validate)?.podSecurity)?.level);
}
