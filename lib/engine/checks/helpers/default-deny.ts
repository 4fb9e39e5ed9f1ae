/**
 * Is every pod of a namespace isolated (default deny) for ingress or egress?
 * Counts Kubernetes NetworkPolicies, Cilium (namespaced and cluster-wide) policies,
 * Calico (namespaced and global) policies and the BaselineAdminNetworkPolicy.
 * Shared by the default-deny ingress and egress checks.
 */
import type { KubeObject } from "@/lib/snapshot/schema";
import type { CheckContext } from "@/lib/engine/model/check";
import { asArray, asRecord, asString, isRecord, type UnknownRecord } from "@/lib/engine/model/kube";
import { isEmptySelector, matchesLabelSelector } from "@/lib/engine/model/label-selector";
import type { NamespaceInfo } from "@/lib/engine/inventory/namespaces";

export type Direction = "Ingress" | "Egress";

export type DefaultDenyResult =
  | { covered: true; by: KubeObject }
  | { covered: false; unknownReason?: string; policyCount: number };

/** The optional policy sources, as (group, resource) for visibility. */
export const POLICY_SOURCES = [
  { group: "cilium.io", resource: "ciliumnetworkpolicies" },
  { group: "cilium.io", resource: "ciliumclusterwidenetworkpolicies" },
  { group: "crd.projectcalico.org", resource: "networkpolicies" },
  { group: "crd.projectcalico.org", resource: "globalnetworkpolicies" },
  { group: "projectcalico.org", resource: "networkpolicies" },
  { group: "projectcalico.org", resource: "globalnetworkpolicies" },
  { group: "policy.networking.k8s.io", resource: "baselineadminnetworkpolicies" },
] as const;

export function defaultDenyCoverage(ns: NamespaceInfo, ctx: CheckContext, direction: Direction): DefaultDenyResult {
  const inv = ctx.inventory;
  // Indexed lookups: this runs once per namespace and direction.
  const inNs = (group: string, kind: string) => inv.ofTypeIn(group, kind, ns.name);

  const k8s = inNs("networking.k8s.io", "NetworkPolicy");
  for (const np of k8s) if (k8sPolicyDenies(np, direction)) return { covered: true, by: np };

  const cnp = inNs("cilium.io", "CiliumNetworkPolicy");
  for (const p of cnp) if (ciliumDenies(p, direction, undefined)) return { covered: true, by: p };
  for (const p of inv.ofType("cilium.io", "CiliumClusterwideNetworkPolicy")) if (ciliumDenies(p, direction, ns.name)) return { covered: true, by: p };

  const calico = [...inNs("crd.projectcalico.org", "NetworkPolicy"), ...inNs("projectcalico.org", "NetworkPolicy")];
  for (const p of calico) if (calicoDenies(p, direction, undefined, ns) === true) return { covered: true, by: p };
  let calicoUnparsed = false;
  for (const p of [...inv.ofType("crd.projectcalico.org", "GlobalNetworkPolicy"), ...inv.ofType("projectcalico.org", "GlobalNetworkPolicy")]) {
    const r = calicoDenies(p, direction, ns.name, ns);
    if (r === true) return { covered: true, by: p };
    if (r === "unparsed") calicoUnparsed = true;
  }

  for (const p of inv.ofType("policy.networking.k8s.io", "BaselineAdminNetworkPolicy")) if (banpDenies(p, direction, ns)) return { covered: true, by: p };

  const policyCount = k8s.length + cnp.length + calico.length;
  const unseen = POLICY_SOURCES.filter((s) => !ctx.canSee(s.group, s.resource)).map((s) => `${s.resource}.${s.group}`);
  if (unseen.length > 0) return { covered: false, policyCount, unknownReason: `${unseen.join(", ")} could not be listed` };
  if (calicoUnparsed) return { covered: false, policyCount, unknownReason: "a Calico GlobalNetworkPolicy uses a namespaceSelector the engine cannot evaluate" };
  return { covered: false, policyCount };
}

function rulesKey(direction: Direction): "ingress" | "egress" {
  return direction === "Ingress" ? "ingress" : "egress";
}

/** Kubernetes NetworkPolicy: podSelector {} + the direction in policyTypes + no rule that allows everything. */
export function k8sPolicyDenies(np: KubeObject, direction: Direction): boolean {
  const spec = asRecord((np as UnknownRecord).spec);
  if (!spec || !isEmptySelector(spec.podSelector)) return false;
  const declared = asArray(spec.policyTypes).filter((t): t is string => typeof t === "string");
  // Without policyTypes, Ingress always applies and Egress applies when egress rules exist.
  const types = declared.length > 0 ? declared : ["Ingress", ...(spec.egress !== undefined ? ["Egress"] : [])];
  if (!types.includes(direction)) return false;
  const peerKey = direction === "Ingress" ? "from" : "to";
  return !asArray(spec[rulesKey(direction)]).some((rule) => {
    const r = asRecord(rule);
    if (!r) return false;
    if (asArray(r.ports).length > 0) return false; // limited to some ports: not allow-all
    const peers = asArray(r[peerKey]);
    return peers.length === 0 || peers.some((p) => isRecord(p) && (Object.keys(p).length === 0 || isOpenIpBlock(p.ipBlock, direction)));
  });
}

/**
 * An ipBlock that opens the direction to everyone. For egress, 0.0.0.0/0 with `except` entries still
 * opens the whole internet (the excepts usually carve out the cluster's own ranges), so it is open.
 */
function isOpenIpBlock(block: unknown, direction: Direction): boolean {
  const b = asRecord(block);
  const cidr = asString(b?.cidr);
  if (!isAllAddresses(cidr)) return false;
  return direction === "Egress" || asArray(b?.except).length === 0;
}

/** 0.0.0.0/0 or ::/0. */
export function isAllAddresses(cidr: string | undefined): boolean {
  return cidr === "0.0.0.0/0" || cidr === "::/0";
}

const NS_LABEL_KEYS = ["k8s:io.kubernetes.pod.namespace", "io.kubernetes.pod.namespace"];

/** Cilium: a policy with an ingress/egress section puts the endpoints it selects in default deny for that direction. */
function ciliumDenies(p: KubeObject, direction: Direction, clusterwideNamespace: string | undefined): boolean {
  const raw = p as UnknownRecord;
  const specs = [asRecord(raw.spec), ...asArray(raw.specs).map(asRecord)].filter((s): s is UnknownRecord => s !== undefined);
  return specs.some((spec) => {
    if (!ciliumSelectsAll(spec.endpointSelector, clusterwideNamespace)) return false;
    const key = rulesKey(direction);
    const optOut = asRecord(spec.enableDefaultDeny)?.[key] === false;
    if (optOut) return false;
    if (spec[key] === undefined && spec[`${key}Deny`] === undefined) return false;
    const entityKey = direction === "Ingress" ? "fromEntities" : "toEntities";
    if (direction === "Egress") return !asArray(spec[key]).some(ciliumEgressRuleIsOpen);
    return !asArray(spec[key]).some((rule) => asArray(asRecord(rule)?.[entityKey]).includes("all"));
  });
}

/** A Cilium egress rule that allows every destination (all or world entities, 0.0.0.0/0) on every port. */
function ciliumEgressRuleIsOpen(rule: unknown): boolean {
  const r = asRecord(rule);
  if (!r || asArray(r.toPorts).length > 0) return false;
  if (asArray(r.toEntities).some((e) => e === "all" || e === "world")) return true;
  if (asArray(r.toCIDR).some((c) => isAllAddresses(asString(c)))) return true;
  return asArray(r.toCIDRSet).some((c) => isAllAddresses(asString(asRecord(c)?.cidr)));
}

export function ciliumSelectsAll(selector: unknown, clusterwideNamespace: string | undefined): boolean {
  if (isEmptySelector(selector)) return true;
  if (clusterwideNamespace === undefined || !isRecord(selector)) return false;
  // Cluster-wide policies often select "every namespace but kube-system" by the namespace pseudo-label.
  const keys = [...Object.keys(asRecord(selector.matchLabels) ?? {}), ...asArray(selector.matchExpressions).map((e) => asString(asRecord(e)?.key))];
  if (!keys.every((k) => k !== undefined && NS_LABEL_KEYS.includes(k))) return false;
  const labels = Object.fromEntries(NS_LABEL_KEYS.map((k) => [k, clusterwideNamespace]));
  return matchesLabelSelector(selector, labels);
}

/**
 * Calico: selector all() (or absent) with the direction in `types` and no Allow rule
 * without a source/destination. Returns "unparsed" for a namespaceSelector outside
 * the simple grammar handled here.
 */
function calicoDenies(p: KubeObject, direction: Direction, globalNamespace: string | undefined, ns: NamespaceInfo): boolean | "unparsed" {
  const spec = asRecord((p as UnknownRecord).spec);
  if (!spec) return false;
  const selector = asString(spec.selector);
  if (selector !== undefined && selector.trim() !== "" && selector.replace(/\s+/g, "") !== "all()") return false;
  if (globalNamespace !== undefined) {
    const nsSel = asString(spec.namespaceSelector);
    if (nsSel !== undefined && nsSel.trim() !== "") {
      const labels = { ...ns.labels, "projectcalico.org/name": ns.name };
      const r = evalCalicoSelector(nsSel, labels);
      if (r === undefined) return "unparsed";
      if (!r) return false;
    }
  }
  const declared = asArray(spec.types).filter((t): t is string => typeof t === "string");
  const types = declared.length > 0 ? declared : ["Ingress", ...(spec.egress !== undefined ? ["Egress"] : [])];
  if (!types.includes(direction)) return false;
  const peerKey = direction === "Ingress" ? "source" : "destination";
  return !asArray(spec[rulesKey(direction)]).some((rule) => {
    const r = asRecord(rule);
    if (!r || r.action !== "Allow") return false;
    const peer = asRecord(r[peerKey]);
    if (!peer || Object.keys(peer).length === 0) return true;
    // Egress to nets: [0.0.0.0/0] with nothing narrowing it opens the internet.
    return direction === "Egress" && Object.keys(peer).every((k) => k === "nets") && asArray(peer.nets).some((n) => isAllAddresses(asString(n)));
  });
}

/** Evaluates the subset of Calico selector syntax used for namespaces; undefined when outside it. */
export function evalCalicoSelector(expr: string, labels: Record<string, string>): boolean | undefined {
  const parts = expr.split("&&").map((s) => s.trim());
  let result = true;
  for (const part of parts) {
    let m: RegExpExecArray | null;
    if (part === "all()") continue;
    if ((m = /^has\(([\w./-]+)\)$/.exec(part))) result &&= m[1]! in labels;
    else if ((m = /^!has\(([\w./-]+)\)$/.exec(part))) result &&= !(m[1]! in labels);
    else if ((m = /^([\w./-]+)\s*==\s*["']([^"']*)["']$/.exec(part))) result &&= labels[m[1]!] === m[2];
    else if ((m = /^([\w./-]+)\s*!=\s*["']([^"']*)["']$/.exec(part))) result &&= labels[m[1]!] !== m[2];
    else if ((m = /^([\w./-]+)\s+(not\s+in|in)\s*\{([^}]*)\}$/.exec(part))) {
      const set = m[3]!.split(",").map((v) => v.trim().replace(/^["']|["']$/g, ""));
      const has = m[1]! in labels && set.includes(labels[m[1]!]!);
      result &&= m[2]!.startsWith("not") ? !has : has;
    } else return undefined;
  }
  return result;
}

/**
 * BaselineAdminNetworkPolicy: a Deny rule from/to every namespace, for subjects that include this
 * namespace. For egress, denying every namespace leaves the internet open: a Deny to
 * `networks: [0.0.0.0/0]` (or ::/0) is needed as well.
 */
function banpDenies(p: KubeObject, direction: Direction, ns: NamespaceInfo): boolean {
  const spec = asRecord((p as UnknownRecord).spec);
  const subject = asRecord(spec?.subject);
  if (!spec || !subject) return false;
  const nsSelector = subject.namespaces;
  if (nsSelector === undefined || !matchesLabelSelector(nsSelector, { ...ns.labels, "kubernetes.io/metadata.name": ns.name })) return false;
  const peerKey = direction === "Ingress" ? "from" : "to";
  const denyPeers = asArray(spec[rulesKey(direction)]).flatMap((rule) => {
    const r = asRecord(rule);
    if (!r || r.action !== "Deny" || asArray(r.ports).length > 0) return [];
    return asArray(r[peerKey]).map(asRecord).filter((peer): peer is UnknownRecord => peer !== undefined);
  });
  const allNamespaces = denyPeers.some((peer) => isEmptySelector(peer.namespaces));
  if (direction === "Ingress") return allNamespaces;
  return allNamespaces && denyPeers.some((peer) => asArray(peer.networks).some((n) => isAllAddresses(asString(n))));
}
