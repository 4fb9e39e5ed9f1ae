/**
 * RBAC resolution: bindings joined to their roles and subjects, aggregated
 * ClusterRoles expanded, and a matcher that tells whether a rule grants a verb on a resource.
 */
import type { KubeObject } from "@/lib/snapshot/schema";
import { asArray, asRecord, asString, isRecord, labelsOf, type ResourceRef } from "@/lib/engine/model/kube";
import { matchesLabelSelector } from "@/lib/engine/model/label-selector";

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
  /** Path of the rule in the role that declares it, e.g. "rules[2]". Aggregated rules point into their source role. */
  path: string;
  /** The Role/ClusterRole the rule is written in (differs from the bound role for aggregated ClusterRoles). */
  declaredIn: KubeObject;
}

export interface RoleInfo {
  object: KubeObject;
  ref: ResourceRef;
  kind: "Role" | "ClusterRole";
  name: string;
  namespace: string | undefined;
  rules: PolicyRule[];
  /** True when rules were gathered through aggregationRule. */
  aggregated: boolean;
}

export interface Subject {
  kind: string;
  name: string;
  namespace: string | undefined;
  /** Path in the binding, e.g. "subjects[0]". */
  path: string;
}

export interface BindingInfo {
  object: KubeObject;
  ref: ResourceRef;
  kind: "RoleBinding" | "ClusterRoleBinding";
  name: string;
  /** Namespace of a RoleBinding (where its grants apply); undefined for ClusterRoleBindings. */
  namespace: string | undefined;
  roleRef: { kind: string; name: string };
  /** The bound role, when it is in the input. */
  role: RoleInfo | undefined;
  subjects: Subject[];
}

export interface RbacIndex {
  roles: RoleInfo[];
  clusterRoles: RoleInfo[];
  bindings: BindingInfo[];
  clusterRole(name: string): RoleInfo | undefined;
  role(namespace: string, name: string): RoleInfo | undefined;
  /** Bindings that name the subject (ServiceAccounts match by namespace and name). */
  bindingsOf(subject: { kind: string; name: string; namespace?: string }): BindingInfo[];
}

/** Subjects every cluster has and that stand for "anyone". */
export const PUBLIC_GROUPS = new Set(["system:anonymous", "system:unauthenticated", "system:authenticated"]);
export const ANONYMOUS_USER = "system:anonymous";

/**
 * True for identities that belong to Kubernetes itself or its system namespaces:
 * `system:`-prefixed users and groups (except the public groups and the anonymous
 * user), and ServiceAccounts in skipped namespaces.
 */
export function isSystemSubject(subject: Pick<Subject, "kind" | "name" | "namespace">, isSkippedNamespace: (ns: string) => boolean): boolean {
  if (subject.kind === "ServiceAccount") return subject.namespace !== undefined && isSkippedNamespace(subject.namespace);
  if (subject.name === ANONYMOUS_USER || PUBLIC_GROUPS.has(subject.name)) return false;
  return subject.name.startsWith("system:");
}

export interface Access {
  verb: string;
  resource: string;
  /** "" is the core group. */
  apiGroup?: string;
  subresource?: string;
}

/** True when the rule grants the access (wildcards included). Rules restricted by resourceNames grant only those names: treated as not granting in general. */
export function ruleGrants(rule: PolicyRule, access: Access, opts: { ignoreResourceNames?: boolean } = {}): boolean {
  if (!opts.ignoreResourceNames && rule.resourceNames.length > 0) return false;
  if (!rule.verbs.includes("*") && !rule.verbs.includes(access.verb)) return false;
  const group = access.apiGroup ?? "";
  if (!rule.apiGroups.includes("*") && !rule.apiGroups.includes(group)) return false;
  const full = access.subresource ? `${access.resource}/${access.subresource}` : access.resource;
  return rule.resources.some((r) => r === "*" || r === full || (access.subresource !== undefined && r === `*/${access.subresource}`) || (access.subresource === undefined && r === access.resource));
}

function readRules(obj: KubeObject): PolicyRule[] {
  return asArray((obj as Record<string, unknown>).rules).flatMap((r, i) => {
    if (!isRecord(r)) return [];
    const strings = (v: unknown) => asArray(v).filter((x): x is string => typeof x === "string");
    return [{
      apiGroups: strings(r.apiGroups),
      resources: strings(r.resources),
      verbs: strings(r.verbs),
      resourceNames: strings(r.resourceNames),
      nonResourceURLs: strings(r.nonResourceURLs),
      path: `rules[${i}]`,
      declaredIn: obj,
    }];
  });
}

function refOf(obj: KubeObject, namespace: string | undefined): ResourceRef {
  return namespace === undefined
    ? { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name }
    : { apiVersion: obj.apiVersion, kind: obj.kind, namespace, name: obj.metadata.name };
}

export function buildRbacIndex(
  roleObjects: readonly KubeObject[],
  clusterRoleObjects: readonly KubeObject[],
  bindingObjects: readonly KubeObject[],
  namespaceOf: (o: KubeObject) => string | undefined,
): RbacIndex {
  const clusterRoles: RoleInfo[] = clusterRoleObjects.map((o) => ({ object: o, ref: refOf(o, undefined), kind: "ClusterRole", name: o.metadata.name, namespace: undefined, rules: readRules(o), aggregated: false }));
  const roles: RoleInfo[] = roleObjects.map((o) => {
    const ns = namespaceOf(o);
    return { object: o, ref: refOf(o, ns), kind: "Role", name: o.metadata.name, namespace: ns, rules: readRules(o), aggregated: false };
  });
  // Aggregated ClusterRoles: live clusters already hold the merged rules; manifests may not.
  for (const role of clusterRoles) {
    const selectors = asArray(asRecord((role.object as Record<string, unknown>).aggregationRule)?.clusterRoleSelectors);
    if (selectors.length === 0) continue;
    role.aggregated = true;
    if (role.rules.length > 0) continue;
    for (const other of clusterRoles) {
      if (other === role) continue;
      const labels = labelsOf(other.object);
      if (selectors.some((s) => matchesLabelSelector(s, labels))) role.rules.push(...readRules(other.object));
    }
  }
  const clusterRoleByName = new Map(clusterRoles.map((r) => [r.name, r]));
  const roleByKey = new Map(roles.map((r) => [`${r.namespace}/${r.name}`, r]));
  const bindings: BindingInfo[] = [];
  for (const o of bindingObjects) {
    const kind = o.kind === "ClusterRoleBinding" ? "ClusterRoleBinding" : "RoleBinding";
    const ns = kind === "RoleBinding" ? namespaceOf(o) : undefined;
    const roleRefRaw = asRecord((o as Record<string, unknown>).roleRef);
    const roleRef = { kind: asString(roleRefRaw?.kind) ?? "", name: asString(roleRefRaw?.name) ?? "" };
    const role = roleRef.kind === "ClusterRole" ? clusterRoleByName.get(roleRef.name) : roleRef.kind === "Role" ? roleByKey.get(`${ns}/${roleRef.name}`) : undefined;
    const subjects: Subject[] = asArray((o as Record<string, unknown>).subjects).flatMap((s, i) => {
      if (!isRecord(s)) return [];
      const sKind = asString(s.kind) ?? "";
      const sNs = asString(s.namespace) ?? (sKind === "ServiceAccount" ? ns : undefined);
      return [{ kind: sKind, name: asString(s.name) ?? "", namespace: sNs, path: `subjects[${i}]` }];
    });
    bindings.push({ object: o, ref: refOf(o, ns), kind, name: o.metadata.name, namespace: ns, roleRef, role, subjects });
  }
  const bySubject = new Map<string, BindingInfo[]>();
  const subjectKey = (s: { kind: string; name: string; namespace?: string }) => (s.kind === "ServiceAccount" ? `SA/${s.namespace ?? ""}/${s.name}` : `${s.kind}/${s.name}`);
  for (const b of bindings) {
    for (const s of b.subjects) {
      const key = subjectKey(s);
      const list = bySubject.get(key);
      if (list) {
        if (!list.includes(b)) list.push(b);
      } else bySubject.set(key, [b]);
    }
  }
  return {
    roles,
    clusterRoles,
    bindings,
    clusterRole: (name) => clusterRoleByName.get(name),
    role: (namespace, name) => roleByKey.get(`${namespace}/${name}`),
    bindingsOf: (subject) => bySubject.get(subjectKey(subject)) ?? [],
  };
}
