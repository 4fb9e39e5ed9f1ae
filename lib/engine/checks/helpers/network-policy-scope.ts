/**
 * Which network policies apply to a namespace at all, whatever they allow: Kubernetes,
 * Cilium and Calico policies in the namespace, plus cluster-wide ones (Cilium cluster-wide,
 * Calico global, AdminNetworkPolicy and BaselineAdminNetworkPolicy) whose subject includes
 * the namespace or one of its workloads. Used by the namespace-network-policy check.
 */
import type { KubeObject } from "@/lib/snapshot/schema";
import type { CheckContext } from "@/lib/engine/model/check";
import type { NamespaceInfo } from "@/lib/engine/inventory/namespaces";
import { asArray, asRecord, asString, isRecord, type UnknownRecord } from "@/lib/engine/model/kube";
import { isEmptySelector, matchesLabelSelector } from "@/lib/engine/model/label-selector";
import { evalCalicoSelector, POLICY_SOURCES } from "@/lib/engine/checks/helpers/default-deny";
import { objectsIn, workloadsIn } from "@/lib/engine/checks/helpers/namespace-index";

/** Every policy source besides Kubernetes NetworkPolicy: the default-deny sources plus AdminNetworkPolicy. */
export const SCOPE_POLICY_SOURCES = [...POLICY_SOURCES, { group: "policy.networking.k8s.io", resource: "adminnetworkpolicies" }] as const;

export interface PolicyScope {
  /** Policies that select pods of the namespace (or the whole namespace). */
  policies: KubeObject[];
  /** Set when no policy was found but one could hide in a list that was not read or a selector the engine cannot evaluate. */
  unknownReason?: string;
}

const CILIUM_NS_KEYS = ["k8s:io.kubernetes.pod.namespace", "io.kubernetes.pod.namespace"];

export function policiesApplyingTo(ns: NamespaceInfo, ctx: CheckContext): PolicyScope {
  const inv = ctx.inventory;
  const inNs = (group: string, kind: string) => objectsIn(inv, group, kind, ns.name);
  const policies: KubeObject[] = [
    ...inNs("networking.k8s.io", "NetworkPolicy"),
    ...inNs("cilium.io", "CiliumNetworkPolicy"),
    ...inNs("crd.projectcalico.org", "NetworkPolicy"),
    ...inNs("projectcalico.org", "NetworkPolicy"),
  ];
  if (policies.length > 0) return { policies };

  const podLabelSets = workloadsIn(inv, ns.name).map((w) => w.podLabels);
  const nsLabels = { ...ns.labels, "kubernetes.io/metadata.name": ns.name };
  let unparsed = false;

  for (const p of inv.ofType("cilium.io", "CiliumClusterwideNetworkPolicy")) {
    if (ciliumClusterwideSelects(p, ns.name, podLabelSets)) policies.push(p);
  }
  for (const p of [...inv.ofType("crd.projectcalico.org", "GlobalNetworkPolicy"), ...inv.ofType("projectcalico.org", "GlobalNetworkPolicy")]) {
    const r = calicoGlobalSelects(p, ns, podLabelSets);
    if (r === true) policies.push(p);
    else if (r === "unparsed") unparsed = true;
  }
  for (const p of [...inv.ofType("policy.networking.k8s.io", "AdminNetworkPolicy"), ...inv.ofType("policy.networking.k8s.io", "BaselineAdminNetworkPolicy")]) {
    if (adminPolicySelects(p, nsLabels, podLabelSets)) policies.push(p);
  }
  if (policies.length > 0) return { policies };

  const unseen = [{ group: "networking.k8s.io", resource: "networkpolicies" }, ...SCOPE_POLICY_SOURCES]
    .filter((s) => !ctx.canSee(s.group, s.resource))
    .map((s) => `${s.resource}.${s.group}`);
  if (unseen.length > 0) return { policies, unknownReason: `${unseen.join(", ")} could not be listed` };
  if (unparsed) return { policies, unknownReason: "a Calico GlobalNetworkPolicy uses a selector the engine cannot evaluate" };
  return { policies };
}

/** Cilium endpoint labels carry a source prefix ("k8s:app") or none; both forms are offered to the selector. */
function ciliumLabels(podLabels: Record<string, string>, namespace: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(podLabels)) {
    out[k] = v;
    out[`k8s:${k}`] = v;
    out[`any:${k}`] = v;
  }
  for (const k of CILIUM_NS_KEYS) out[k] = namespace;
  return out;
}

function ciliumClusterwideSelects(p: KubeObject, namespace: string, podLabelSets: readonly Record<string, string>[]): boolean {
  const raw = p as UnknownRecord;
  const specs = [asRecord(raw.spec), ...asArray(raw.specs).map(asRecord)].filter((s): s is UnknownRecord => s !== undefined);
  return specs.some((spec) => {
    // nodeSelector policies are host firewall rules, not pod policies.
    if (spec.endpointSelector === undefined) return false;
    if (isEmptySelector(spec.endpointSelector)) return true;
    if (podLabelSets.length === 0) return matchesLabelSelector(spec.endpointSelector, ciliumLabels({}, namespace));
    return podLabelSets.some((labels) => matchesLabelSelector(spec.endpointSelector, ciliumLabels(labels, namespace)));
  });
}

/** Calico global policy: namespaceSelector (when set) must match the namespace, and selector (when set) a workload of it. */
function calicoGlobalSelects(p: KubeObject, ns: NamespaceInfo, podLabelSets: readonly Record<string, string>[]): boolean | "unparsed" {
  const spec = asRecord((p as UnknownRecord).spec);
  if (!spec) return false;
  const nsSel = asString(spec.namespaceSelector)?.trim();
  if (nsSel) {
    const r = evalCalicoSelector(nsSel, { ...ns.labels, "projectcalico.org/name": ns.name });
    if (r === undefined) return "unparsed";
    if (!r) return false;
  }
  const selector = asString(spec.selector)?.trim();
  if (!selector || selector.replace(/\s+/g, "") === "all()") return true;
  let unparsed = false;
  for (const labels of podLabelSets) {
    const r = evalCalicoSelector(selector, { ...labels, "projectcalico.org/namespace": ns.name });
    if (r === true) return true;
    if (r === undefined) unparsed = true;
  }
  return unparsed ? "unparsed" : false;
}

/** AdminNetworkPolicy / BaselineAdminNetworkPolicy subject: `namespaces` selector, or `pods` with a namespace and pod selector. */
function adminPolicySelects(p: KubeObject, nsLabels: Record<string, string>, podLabelSets: readonly Record<string, string>[]): boolean {
  const subject = asRecord(asRecord((p as UnknownRecord).spec)?.subject);
  if (!subject) return false;
  if (subject.namespaces !== undefined) return matchesLabelSelector(subject.namespaces, nsLabels);
  const pods = asRecord(subject.pods);
  if (!pods || !matchesLabelSelector(pods.namespaceSelector, nsLabels)) return false;
  if (isEmptySelector(pods.podSelector)) return true;
  return isRecord(pods.podSelector) && podLabelSets.some((labels) => matchesLabelSelector(pods.podSelector, labels));
}
