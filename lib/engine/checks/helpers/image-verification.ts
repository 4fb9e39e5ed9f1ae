/**
 * Admission-time image signature verifiers and which running containers they cover:
 * Kyverno `verifyImages` rules (ClusterPolicy, Policy), Kyverno ImageValidatingPolicy,
 * sigstore policy-controller ClusterImagePolicy (only in namespaces opted in with
 * `policy.sigstore.dev/include: "true"`), and Ratify through Gatekeeper
 * (`RatifyVerification` constraints). A verifier "enforces" when a failed verification
 * rejects the pod; audit, warn and dry-run modes only report. Also reads the per-pod
 * evidence Kyverno leaves behind (`kyverno.io/verify-images`). Usable by any check about
 * signatures or attestations (layer 1 and layer 6).
 */
import type { KubeObject } from "@/lib/snapshot/schema";
import type { CheckContext, ListVisibility } from "@/lib/engine/model/check";
import type { ContainerRef } from "@/lib/engine/inventory/containers";
import type { Inventory } from "@/lib/engine/inventory/inventory";
import { annotationsOf, asArray, asRecord, asString, isRecord, type UnknownRecord } from "@/lib/engine/model/kube";
import { matchesLabelSelector } from "@/lib/engine/model/label-selector";
import { imageMatchCandidates, parseImageReference, sameDigest, type ImageReference } from "@/lib/engine/checks/helpers/image-reference";

export type VerifierTool = "Kyverno" | "Kyverno ImageValidatingPolicy" | "sigstore policy-controller" | "Ratify";

/** Where a verifier applies, evaluated per container. */
interface Scope {
  /** Namespaces the verifier sees; undefined = all. */
  namespaces?: (ns: string, nsLabels: Record<string, string>) => boolean;
  /** Pod labels it selects; undefined = all. */
  pods?: (podLabels: Record<string, string>) => boolean;
  /** Workload kinds it admits (a rule on Pod covers every workload: their pods go through admission too). */
  kinds?: (kind: string) => boolean;
  /** Any other condition that needs the container (Kyverno match/exclude blocks). */
  container?: (c: ContainerRef, ns: string, nsLabels: Record<string, string>) => boolean;
  images: (image: ImageReference) => boolean;
}

export interface Verifier {
  tool: VerifierTool;
  /** The policy or constraint object. */
  source: KubeObject;
  /** "ClusterPolicy verify-signatures, rule check-images" and the like, for messages. */
  label: string;
  enforcing: boolean;
  /** Why it does not enforce (mode, disabled, not ready), when it does not. */
  mode: string;
  scopes: Scope[];
}

export interface Coverage {
  enforcing: Verifier[];
  auditOnly: Verifier[];
  /** Verifiers that match the image but not this namespace (policy-controller opt-in), for hints. */
  namespaceMisses: Verifier[];
}

export const VERIFIER_SOURCES = [
  { group: "kyverno.io", resource: "clusterpolicies" },
  { group: "kyverno.io", resource: "policies" },
  { group: "policies.kyverno.io", resource: "imagevalidatingpolicies" },
  { group: "policy.sigstore.dev", resource: "clusterimagepolicies" },
  { group: "templates.gatekeeper.sh", resource: "constrainttemplates" },
] as const;

const GATEKEEPER_CONSTRAINTS = "constraints.gatekeeper.sh";
const RATIFY_KIND = "RatifyVerification";
const POLICY_CONTROLLER_INCLUDE = "policy.sigstore.dev/include";

// ---------------------------------------------------------------- pattern matching

const compiled = new Map<string, RegExp>();

function cachedRegExp(key: string, build: () => string): RegExp {
  let re = compiled.get(key);
  if (!re) {
    if (compiled.size > 10_000) compiled.clear();
    re = new RegExp(`^${build()}$`);
    compiled.set(key, re);
  }
  return re;
}

const escapeChar = (ch: string) => ch.replace(/[.+^${}()|[\]\\/]/g, "\\$&");

/** Kyverno wildcards: `*` any run of characters (slashes included), `?` one character. */
export function kyvernoWildcard(pattern: string, value: string): boolean {
  return cachedRegExp(`k:${pattern}`, () => pattern.split("").map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : escapeChar(ch))).join("")).test(value);
}

/** policy-controller globs: `**` crosses path segments, `*` stays within one. */
export function sigstoreGlob(pattern: string, value: string): boolean {
  return cachedRegExp(`s:${pattern}`, () => {
    let re = "";
    for (let i = 0; i < pattern.length; i++) {
      const ch = pattern[i]!;
      if (ch === "*" && pattern[i + 1] === "*") {
        re += ".*";
        i++;
      } else if (ch === "*") re += "[^/]*";
      else if (ch === "?") re += "[^/]";
      else re += escapeChar(ch);
    }
    return re;
  }).test(value);
}

const candidateCache = new WeakMap<ImageReference, string[]>();

function anyCandidate(image: ImageReference, match: (s: string) => boolean): boolean {
  let list = candidateCache.get(image);
  if (!list) {
    list = imageMatchCandidates(image);
    candidateCache.set(image, list);
  }
  return list.some(match);
}

// ---------------------------------------------------------------- Kyverno ClusterPolicy / Policy

function kyvernoKinds(resources: UnknownRecord): ((kind: string) => boolean) | undefined {
  const kinds = asArray(resources.kinds).filter((k): k is string => typeof k === "string");
  if (kinds.length === 0) return undefined;
  const names = kinds.map((k) => k.slice(k.lastIndexOf("/") + 1));
  return (kind) => names.some((n) => n === "*" || n === "Pod" || n === kind);
}

/** One `resources` block of a match/exclude: true when it selects pods of this workload. */
function kyvernoResourcesMatch(resources: UnknownRecord, c: ContainerRef, ns: string, nsLabels: Record<string, string>): boolean {
  const kinds = kyvernoKinds(resources);
  if (kinds && !kinds(c.workload.kind)) return false;
  // A rule limited to named resources cannot be relied on for generated pod names.
  if (asArray(resources.names).length > 0 || asString(resources.name)) return false;
  const operations = asArray(resources.operations).filter((o): o is string => typeof o === "string");
  if (operations.length > 0 && !operations.includes("CREATE")) return false;
  const namespaces = asArray(resources.namespaces).filter((n): n is string => typeof n === "string");
  if (namespaces.length > 0 && !namespaces.some((p) => kyvernoWildcard(p, ns))) return false;
  if (isRecord(resources.namespaceSelector) && !matchesLabelSelector(resources.namespaceSelector, nsLabels)) return false;
  if (isRecord(resources.selector) && !matchesLabelSelector(resources.selector, c.workload.podLabels)) return false;
  return true;
}

/** A match or exclude block: `any`, `all`, or the legacy `resources`. Subjects/roles (user filters) never select controllers' pods reliably. */
function kyvernoBlockMatches(block: unknown, c: ContainerRef, ns: string, nsLabels: Record<string, string>, emptyMeans: boolean): boolean {
  const b = asRecord(block);
  if (!b) return emptyMeans;
  const filters = (x: unknown) => asRecord(x) && asRecord(asRecord(x)?.resources);
  const any = asArray(b.any).filter(filters);
  const all = asArray(b.all).filter(filters);
  const legacy = asRecord(b.resources);
  if (any.length === 0 && all.length === 0 && !legacy) return emptyMeans;
  if (legacy && !kyvernoResourcesMatch(legacy, c, ns, nsLabels)) return false;
  if (all.length > 0 && !all.every((f) => kyvernoResourcesMatch(asRecord(asRecord(f)!.resources)!, c, ns, nsLabels))) return false;
  if (any.length > 0 && !any.some((f) => kyvernoResourcesMatch(asRecord(asRecord(f)!.resources)!, c, ns, nsLabels))) return false;
  return true;
}

function notReady(obj: KubeObject): boolean {
  const status = asRecord((obj as UnknownRecord).status);
  if (status?.ready === false) return true;
  return asArray(status?.conditions).some((cond) => asRecord(cond)?.type === "Ready" && asRecord(cond)?.status === "False");
}

function hasAttestors(entry: UnknownRecord): boolean {
  const listed = (k: string) => asArray(entry[k]).length > 0;
  // attestors (current), attestations (signed statements), or the pre-1.7 key/keyless fields.
  return listed("attestors") || listed("attestations") || typeof entry.key === "string" || typeof entry.subject === "string" || typeof entry.roots === "string";
}

function kyvernoVerifiers(inv: Inventory): Verifier[] {
  const out: Verifier[] = [];
  const policies = [...inv.ofType("kyverno.io", "ClusterPolicy"), ...inv.ofType("kyverno.io", "Policy")];
  for (const policy of policies) {
    const spec = asRecord((policy as UnknownRecord).spec) ?? {};
    const policyNs = policy.kind === "Policy" ? inv.namespaceOf(policy) : undefined;
    const defaultAction = asString(spec.validationFailureAction);
    const overrides = asArray(spec.validationFailureActionOverrides).map(asRecord).filter((o): o is UnknownRecord => o !== undefined);
    const ready = !notReady(policy);
    asArray(spec.rules).forEach((ruleRaw, ruleIndex) => {
      const rule = asRecord(ruleRaw);
      if (!rule) return;
      const entries = asArray(rule.verifyImages).map(asRecord).filter((e): e is UnknownRecord => e !== undefined);
      entries.forEach((entry, entryIndex) => {
        if (!hasAttestors(entry)) return;
        const refs = [...asArray(entry.imageReferences), entry.image].filter((r): r is string => typeof r === "string" && r !== "");
        const skips = asArray(entry.skipImageReferences).filter((r): r is string => typeof r === "string");
        const entryAction = asString(entry.failureAction);
        const required = entry.required !== false;
        const label = `${policy.kind} ${policyNs ? `${policyNs}/` : ""}${policy.metadata.name}, rule ${asString(rule.name) ?? `#${ruleIndex}`}${entries.length > 1 ? ` (verifyImages[${entryIndex}])` : ""}`;
        const actionFor = (ns: string, nsLabels: Record<string, string>) => {
          if (entryAction) return entryAction;
          const o = overrides.find((ov) => asArray(ov.namespaces).some((p) => typeof p === "string" && kyvernoWildcard(p, ns)) || (isRecord(ov.namespaceSelector) && matchesLabelSelector(ov.namespaceSelector, nsLabels)));
          return asString(o?.action) ?? defaultAction ?? "Audit";
        };
        // The mode can depend on the namespace (overrides): one verifier per mode, each scoped to its namespaces.
        for (const enforcing of [true, false]) {
          out.push({
            tool: "Kyverno",
            source: policy,
            label,
            enforcing: enforcing && ready && required,
            mode: !ready ? "policy not ready" : !required ? "required: false" : enforcing ? "Enforce" : "Audit",
            scopes: [
              {
                namespaces: (ns, nsLabels) => (policyNs === undefined || ns === policyNs) && (actionFor(ns, nsLabels).toLowerCase() === "enforce") === enforcing,
                container: (c, ns, nsLabels) => kyvernoBlockMatches(rule.match, c, ns, nsLabels, false) && !kyvernoBlockMatches(rule.exclude, c, ns, nsLabels, false),
                images: (img) => refs.some((r) => anyCandidate(img, (x) => kyvernoWildcard(r, x))) && !skips.some((r) => anyCandidate(img, (x) => kyvernoWildcard(r, x))),
              },
            ],
          });
        }
      });
    });
  }
  return out;
}

// ---------------------------------------------------------------- Kyverno ImageValidatingPolicy

function imageValidatingPolicies(inv: Inventory): Verifier[] {
  const out: Verifier[] = [];
  for (const policy of inv.ofType("policies.kyverno.io", "ImageValidatingPolicy")) {
    const spec = asRecord((policy as UnknownRecord).spec) ?? {};
    if (asArray(spec.attestors).length === 0 && asArray(spec.attestations).length === 0) continue;
    const actions = asArray(spec.validationActions).filter((a): a is string => typeof a === "string");
    const deny = actions.length === 0 || actions.includes("Deny");
    const admission = asRecord(asRecord(spec.evaluation)?.admission)?.enabled !== false;
    const required = asRecord(spec.validationConfigurations)?.required !== false;
    const globs = asArray(spec.matchImageReferences).map(asRecord);
    const constraints = asRecord(spec.matchConstraints);
    out.push({
      tool: "Kyverno ImageValidatingPolicy",
      source: policy,
      label: `ImageValidatingPolicy ${policy.metadata.name}`,
      enforcing: deny && admission && required && !notReady(policy),
      mode: !admission ? "admission disabled" : !deny ? `validationActions ${actions.join(", ")}` : !required ? "required: false" : "Deny",
      scopes: [
        {
          namespaces: constraints && isRecord(constraints.namespaceSelector) ? (_ns, labels) => matchesLabelSelector(constraints.namespaceSelector, labels) : undefined,
          pods: constraints && isRecord(constraints.objectSelector) ? (labels) => matchesLabelSelector(constraints.objectSelector, labels) : undefined,
          // No matchImageReferences: every image. A CEL expression cannot be evaluated here: taken as matching.
          images: (img) => globs.length === 0 || globs.some((g) => (asString(g?.glob) !== undefined ? anyCandidate(img, (s) => kyvernoWildcard(asString(g!.glob)!, s)) : asString(g?.expression) !== undefined)),
        },
      ],
    });
  }
  return out;
}

// ---------------------------------------------------------------- sigstore policy-controller

function clusterImagePolicies(inv: Inventory): Verifier[] {
  const out: Verifier[] = [];
  for (const policy of inv.ofType("policy.sigstore.dev", "ClusterImagePolicy")) {
    const spec = asRecord((policy as UnknownRecord).spec) ?? {};
    if (asArray(spec.authorities).length === 0) continue;
    const mode = asString(spec.mode) ?? "enforce";
    const globs = asArray(spec.images).map((i) => asString(asRecord(i)?.glob)).filter((g): g is string => g !== undefined);
    out.push({
      tool: "sigstore policy-controller",
      source: policy,
      label: `ClusterImagePolicy ${policy.metadata.name}`,
      enforcing: mode === "enforce",
      mode: mode === "enforce" ? "enforce" : `mode ${mode}`,
      scopes: [
        {
          // The webhook only looks at namespaces that opted in.
          namespaces: (_ns, labels) => labels[POLICY_CONTROLLER_INCLUDE] === "true",
          images: (img) => globs.some((g) => anyCandidate(img, (s) => sigstoreGlob(g, s))),
        },
      ],
    });
  }
  return out;
}

// ---------------------------------------------------------------- Ratify through Gatekeeper

function ratifyConstraints(inv: Inventory): Verifier[] {
  const out: Verifier[] = [];
  for (const constraint of inv.ofType(GATEKEEPER_CONSTRAINTS, RATIFY_KIND)) {
    const spec = asRecord((constraint as UnknownRecord).spec) ?? {};
    const action = asString(spec.enforcementAction) ?? "deny";
    const scoped = asArray(spec.scopedEnforcementActions).some((s) => asRecord(s)?.action === "deny" && asArray(asRecord(s)?.enforcementPoints).some((p) => asRecord(p)?.name === "validation.gatekeeper.sh" || asRecord(p)?.name === "*"));
    const enforcing = action === "deny" || (action === "scoped" && scoped);
    const match = asRecord(spec.match);
    const kinds = asArray(match?.kinds).map(asRecord).filter((k): k is UnknownRecord => k !== undefined);
    const namespaces = asArray(match?.namespaces).filter((n): n is string => typeof n === "string");
    const excluded = asArray(match?.excludedNamespaces).filter((n): n is string => typeof n === "string");
    // Gatekeeper namespace patterns allow a trailing (or leading) "*" only.
    const nsMatch = (p: string, ns: string) => kyvernoWildcard(p, ns);
    out.push({
      tool: "Ratify",
      source: constraint,
      label: `${RATIFY_KIND} ${constraint.metadata.name}`,
      enforcing,
      mode: enforcing ? "deny" : `enforcementAction ${action}`,
      scopes: [
        {
          kinds: kinds.length === 0 ? undefined : () => kinds.some((k) => asArray(k.kinds).some((x) => x === "Pod" || x === "*")),
          namespaces: (ns, labels) =>
            (namespaces.length === 0 || namespaces.some((p) => nsMatch(p, ns))) &&
            !excluded.some((p) => nsMatch(p, ns)) &&
            (!isRecord(match?.namespaceSelector) || matchesLabelSelector(match.namespaceSelector, labels)),
          pods: isRecord(match?.labelSelector) ? (labels) => matchesLabelSelector(match.labelSelector, labels) : undefined,
          images: () => true,
        },
      ],
    });
  }
  return out;
}

// ---------------------------------------------------------------- index

interface VerifierIndex {
  verifiers: Verifier[];
}

const cache = new WeakMap<Inventory, VerifierIndex>();

export function imageVerifiers(ctx: CheckContext): Verifier[] {
  const inv = ctx.inventory;
  let index = cache.get(inv);
  if (!index) {
    index = { verifiers: [...kyvernoVerifiers(inv), ...imageValidatingPolicies(inv), ...clusterImagePolicies(inv), ...ratifyConstraints(inv)] };
    cache.set(inv, index);
  }
  return index.verifiers;
}

/** Which verifiers check this container's image at admission, in its namespace. */
export function verificationCoverage(ctx: CheckContext, c: ContainerRef): Coverage {
  const image = parseImageReference(c.image ?? "");
  const out: Coverage = { enforcing: [], auditOnly: [], namespaceMisses: [] };
  if (!image) return out;
  const ns = c.workload.namespace;
  const nsLabels = ctx.inventory.namespace(ns)?.labels ?? {};
  for (const v of imageVerifiers(ctx)) {
    let matchedImage = false;
    let covered = false;
    for (const s of v.scopes) {
      if (!s.images(image)) continue;
      if (s.kinds && !s.kinds(c.workload.kind)) continue;
      if (s.pods && !s.pods(c.workload.podLabels)) continue;
      if (s.container && !s.container(c, ns, nsLabels)) continue;
      matchedImage = true;
      if (s.namespaces && !s.namespaces(ns, nsLabels)) continue;
      covered = true;
    }
    if (covered) (v.enforcing ? out.enforcing : out.auditOnly).push(v);
    else if (matchedImage && v.tool === "sigstore policy-controller") out.namespaceMisses.push(v);
  }
  return out;
}

/** Verifier lists that could not be read (forbidden, errored, not collected), named for an unknown outcome. */
export function unseenVerifierSources(ctx: CheckContext): string[] {
  const unseen: string[] = [];
  const bad = (v: ListVisibility) => v !== "ok" && v !== "absent";
  for (const s of VERIFIER_SOURCES) if (bad(ctx.visibility(s.group, s.resource))) unseen.push(`${s.resource}.${s.group}`);
  // Ratify constraints: only when Gatekeeper serves the RatifyVerification kind.
  const ratifyTemplate = ctx.inventory
    .ofType("templates.gatekeeper.sh", "ConstraintTemplate")
    .some((t) => asString(asRecord(asRecord(asRecord(asRecord((t as UnknownRecord).spec)?.crd)?.spec)?.names)?.kind) === RATIFY_KIND || t.metadata.name === RATIFY_KIND.toLowerCase());
  if (ratifyTemplate && bad(ctx.visibility(GATEKEEPER_CONSTRAINTS, RATIFY_KIND.toLowerCase())) && bad(ctx.visibility(GATEKEEPER_CONSTRAINTS, "*"))) {
    unseen.push(`${RATIFY_KIND.toLowerCase()}.${GATEKEEPER_CONSTRAINTS}`);
  }
  return unseen;
}

/**
 * Kyverno's record of a verification at admission: the `kyverno.io/verify-images`
 * annotation (JSON: image reference -> "pass" | "fail" | "skip"; "true" in old
 * releases) on the running pods or the pod template. "pass" when an entry for this
 * container's image passed and none failed; "fail" when one failed; undefined otherwise.
 */
export function kyvernoVerifiedAnnotation(c: ContainerRef): "pass" | "fail" | undefined {
  const image = parseImageReference(c.image ?? "");
  if (!image) return undefined;
  const sources = [c.workload.podAnnotations, ...c.workload.pods.map((p) => annotationsOf(p))];
  let verdict: "pass" | "fail" | undefined;
  for (const annotations of sources) {
    const raw = annotations["kyverno.io/verify-images"];
    if (typeof raw !== "string") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      continue;
    }
    for (const [key, value] of Object.entries(asRecord(parsed) ?? {})) {
      const ref = parseImageReference(key);
      if (!ref || ref.name !== image.name) continue;
      if (image.digest !== undefined && ref.digest !== undefined && !sameDigest(image.digest, ref.digest)) continue;
      if (value === "fail" || value === "false") return "fail";
      if (value === "pass" || value === "true") verdict = "pass";
    }
  }
  return verdict;
}
