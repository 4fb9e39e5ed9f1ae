/**
 * The indexed view of the input that checks read: objects by type and name,
 * top-level workloads and their containers, namespaces, RBAC. Built once per
 * evaluation in a few linear passes.
 */
import type { KubeObject } from "@/lib/snapshot/schema";
import { annotationsOf, apiGroupOf, labelsOf, type ResourceRef } from "@/lib/engine/model/kube";
import { effectiveNamespace } from "@/lib/engine/inventory/namespace-scope";
import { findPodSpec, topWorkloadOf, type OwnershipIndex, type PodSpecLocation, type Workload } from "@/lib/engine/inventory/workloads";
import { containersOf, type ContainerRef } from "@/lib/engine/inventory/containers";
import { namespaceRef, type NamespaceInfo } from "@/lib/engine/inventory/namespaces";
import { buildRbacIndex, type RbacIndex } from "@/lib/engine/inventory/rbac";
import { DEFAULT_SKIPPED_NAMESPACES } from "@/lib/engine/inventory/system-namespaces";
import type { InputWarning } from "@/lib/engine/model/engine-input";

export interface InventoryOptions {
  skipNamespaces?: readonly string[];
}

export interface Inventory {
  /** The input objects, duplicates removed (the last definition of a group/kind/namespace/name wins, as with kubectl apply). */
  readonly objects: readonly KubeObject[];
  /** Duplicate definitions that were dropped. */
  readonly warnings: readonly InputWarning[];
  /** Objects of one kind in one API group ("" = core): `ofType("networking.k8s.io", "NetworkPolicy")`. All namespaces. */
  ofType(group: string, kind: string): readonly KubeObject[];
  /** Objects of a kind in any API group. All namespaces. */
  ofKind(kind: string): readonly KubeObject[];
  /** Objects of one kind and API group in one namespace: `ofTypeIn("networking.k8s.io", "NetworkPolicy", ns.name)`. Indexed: use it instead of filtering ofType() per namespace. */
  ofTypeIn(group: string, kind: string, namespace: string): readonly KubeObject[];
  /** Every object of an API group, any kind (Gatekeeper constraints, whose kinds are generated). */
  ofGroup(group: string): readonly KubeObject[];
  /** One object by API group ("" = core), kind, namespace (undefined for cluster-scoped) and name. */
  get(group: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  /** The namespace an object lives in ("default" for namespaced manifests without one). */
  namespaceOf(obj: KubeObject): string | undefined;
  /** The object's identity in findings (frozen, one per object). */
  refOf(obj: KubeObject): ResourceRef;
  /** Top-level workloads outside skipped namespaces. */
  readonly workloads: readonly Workload[];
  /** Top-level workloads in every namespace (cluster-level checks, e.g. finding a runtime detector in kube-system). */
  readonly allWorkloads: readonly Workload[];
  /** Containers of `workloads` (containers, initContainers, ephemeralContainers). */
  readonly containers: readonly ContainerRef[];
  containersOf(workload: Workload): readonly ContainerRef[];
  /** The workload an object rolled up to (for a Pod: its Deployment, CronJob, ...). */
  workloadOf(obj: KubeObject): Workload | undefined;
  /** Namespaces outside the skip list, listed or only referenced, sorted by name. */
  readonly namespaces: readonly NamespaceInfo[];
  readonly allNamespaces: readonly NamespaceInfo[];
  namespace(name: string): NamespaceInfo | undefined;
  isSkippedNamespace(name: string | undefined): boolean;
  readonly rbac: RbacIndex;
}

export function buildInventory(input: readonly KubeObject[], options: InventoryOptions = {}): Inventory {
  const skip = new Set(options.skipNamespaces ?? DEFAULT_SKIPPED_NAMESPACES);
  const isSkippedNamespace = (ns: string | undefined) => ns !== undefined && skip.has(ns);
  const { objects, byUid, warnings } = dropDuplicates(input);
  const namespaceOf = effectiveNamespace;

  // One pass: objects by type, namespaces seen, pod-carrying objects.
  const byType = new Map<string, KubeObject[]>();
  const seenNamespaces = new Set<string>();
  const podHolders: KubeObject[] = [];
  const podLocations: PodSpecLocation[] = [];
  // Lists by apiVersion, then kind: no string is built per object (a cluster has a few dozen types).
  const byVersionAndKind = new Map<string, Map<string, KubeObject[]>>();
  for (const obj of objects) {
    let kinds = byVersionAndKind.get(obj.apiVersion);
    if (!kinds) byVersionAndKind.set(obj.apiVersion, (kinds = new Map()));
    const list = kinds.get(obj.kind);
    if (list) list.push(obj);
    else kinds.set(obj.kind, [obj]);
    const ns = namespaceOf(obj);
    if (ns !== undefined) seenNamespaces.add(ns);
    const pod = findPodSpec(obj);
    if (pod) {
      podHolders.push(obj);
      podLocations.push(pod);
    }
  }

  // Versions of one group share its type lists, in input order within each version.
  for (const [apiVersion, kinds] of byVersionAndKind) {
    const group = apiGroupOf(apiVersion);
    for (const [kind, list] of kinds) {
      const typeKey = `${group}/${kind}`;
      const into = byType.get(typeKey);
      byType.set(typeKey, into ? into.concat(list) : list);
    }
  }

  // Name lookups (manifests without uids, owners the agent left out, checks' get()): kind -> namespace -> name, built on first use.
  let byKey: Map<string, Map<string, Map<string, KubeObject>>> | undefined;
  const byName = (namespace: string | undefined, kind: string, name: string) => {
    if (!byKey) {
      byKey = new Map();
      for (const o of objects) {
        let namespaces = byKey.get(o.kind);
        if (!namespaces) byKey.set(o.kind, (namespaces = new Map()));
        const ns = namespaceOf(o) ?? "";
        let names = namespaces.get(ns);
        if (!names) namespaces.set(ns, (names = new Map()));
        names.set(o.metadata.name, o);
      }
    }
    return byKey.get(kind)?.get(namespace ?? "")?.get(name);
  };
  const ownership: OwnershipIndex = { byUid: (uid) => byUid.get(uid), byName };

  // One frozen ref per object, shared by all its findings.
  const refs = new Map<KubeObject, ResourceRef>();
  const refOf = (obj: KubeObject): ResourceRef => {
    let ref = refs.get(obj);
    if (!ref) {
      const ns = namespaceOf(obj);
      ref = Object.freeze(
        ns === undefined
          ? { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name }
          : { apiVersion: obj.apiVersion, kind: obj.kind, namespace: ns, name: obj.metadata.name },
      );
      refs.set(obj, ref);
    }
    return ref;
  };

  // Roll every pod-carrying object up to its top-level workload.
  const tops: KubeObject[] = new Array(podHolders.length);
  const topWorkloads = new Map<KubeObject, Workload>();
  const allWorkloads: Workload[] = [];
  for (let i = 0; i < podHolders.length; i++) {
    const obj = podHolders[i]!;
    const top = topWorkloadOf(obj, namespaceOf(obj), ownership);
    tops[i] = top;
    if (top !== obj) continue;
    const pod = podLocations[i]!;
    const namespace = namespaceOf(obj) ?? "default";
    const w: Workload = {
      object: obj,
      ref: refOf(obj),
      kind: obj.kind,
      name: obj.metadata.name,
      namespace,
      podSpec: pod.spec,
      podSpecPath: pod.path,
      podMetadata: pod.metadata,
      podMetadataPath: pod.metadataPath,
      podLabels: labelsOf({ metadata: pod.metadata }),
      podAnnotations: annotationsOf({ metadata: pod.metadata }),
      pods: [],
      inSkippedNamespace: isSkippedNamespace(namespace),
      isWindows: (pod.spec.os as { name?: unknown } | undefined)?.name === "windows",
    };
    allWorkloads.push(w);
    topWorkloads.set(obj, w);
  }
  for (let i = 0; i < podHolders.length; i++) {
    const obj = podHolders[i]!;
    if (obj.kind !== "Pod" || tops[i] === obj) continue;
    topWorkloads.get(tops[i]!)?.pods.push(obj);
  }
  // Owned objects (ReplicaSets, Jobs, Pods) -> workload, built on first use.
  let ownedWorkloads: Map<KubeObject, Workload> | undefined;
  const workloadOf = (obj: KubeObject): Workload | undefined => {
    const direct = topWorkloads.get(obj);
    if (direct) return direct;
    if (!ownedWorkloads) {
      ownedWorkloads = new Map();
      for (let i = 0; i < podHolders.length; i++) {
        const w = topWorkloads.get(tops[i]!);
        if (w && tops[i] !== podHolders[i]) ownedWorkloads.set(podHolders[i]!, w);
      }
    }
    return ownedWorkloads.get(obj);
  };

  const workloads = allWorkloads.filter((w) => !w.inSkippedNamespace);
  const containersByWorkload = new Map<Workload, ContainerRef[]>();
  const containers: ContainerRef[] = [];
  for (const w of allWorkloads) {
    const list = containersOf(w);
    containersByWorkload.set(w, list);
    if (!w.inSkippedNamespace) for (const c of list) containers.push(c);
  }

  // Namespaces: listed ones plus every namespace an object lives in.
  const nsInfo = new Map<string, NamespaceInfo>();
  const ensureNs = (name: string): NamespaceInfo => {
    let info = nsInfo.get(name);
    if (!info) {
      info = { name, object: undefined, ref: namespaceRef(name), labels: {}, annotations: {}, skipped: isSkippedNamespace(name), workloadCount: 0 };
      nsInfo.set(name, info);
    }
    return info;
  };
  for (const nsObj of byType.get("/Namespace") ?? []) {
    const info = ensureNs(nsObj.metadata.name);
    info.object = nsObj;
    info.ref = { apiVersion: nsObj.apiVersion, kind: "Namespace", name: nsObj.metadata.name };
    info.labels = labelsOf(nsObj);
    info.annotations = annotationsOf(nsObj);
  }
  for (const ns of seenNamespaces) ensureNs(ns);
  for (const w of allWorkloads) ensureNs(w.namespace).workloadCount++;
  const allNamespaces = [...nsInfo.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const namespaces = allNamespaces.filter((n) => !n.skipped);

  const rbacGroup = "rbac.authorization.k8s.io";
  const rbac = buildRbacIndex(
    byType.get(`${rbacGroup}/Role`) ?? [],
    byType.get(`${rbacGroup}/ClusterRole`) ?? [],
    [...(byType.get(`${rbacGroup}/RoleBinding`) ?? []), ...(byType.get(`${rbacGroup}/ClusterRoleBinding`) ?? [])],
    namespaceOf,
  );

  const empty: readonly KubeObject[] = [];
  let byKind: Map<string, KubeObject[]> | undefined;
  let byGroup: Map<string, KubeObject[]> | undefined;
  // Per type, objects by namespace: built for a type on its first ofTypeIn() call.
  const byTypeAndNamespace = new Map<string, Map<string, KubeObject[]>>();
  return {
    objects,
    warnings,
    ofType: (group, kind) => byType.get(`${group}/${kind}`) ?? empty,
    ofKind: (kind) => {
      if (!byKind) {
        byKind = new Map();
        for (const [key, list] of byType) {
          const k = key.slice(key.indexOf("/") + 1);
          byKind.set(k, [...(byKind.get(k) ?? []), ...list]);
        }
      }
      return byKind.get(kind) ?? empty;
    },
    ofTypeIn: (group, kind, namespace) => {
      const typeKey = `${group}/${kind}`;
      let index = byTypeAndNamespace.get(typeKey);
      if (!index) {
        index = new Map();
        for (const o of byType.get(typeKey) ?? empty) {
          const ns = namespaceOf(o);
          if (ns === undefined) continue;
          const list = index.get(ns);
          if (list) list.push(o);
          else index.set(ns, [o]);
        }
        byTypeAndNamespace.set(typeKey, index);
      }
      return index.get(namespace) ?? empty;
    },
    ofGroup: (group) => {
      if (!byGroup) {
        byGroup = new Map();
        for (const [key, list] of byType) {
          const g = key.slice(0, key.indexOf("/"));
          byGroup.set(g, (byGroup.get(g) ?? []).concat(list));
        }
      }
      return byGroup.get(group) ?? empty;
    },
    get: (group, kind, namespace, name) => {
      const found = byName(namespace, kind, name);
      if (!found) return undefined;
      if (apiGroupOf(found.apiVersion) === group) return found;
      // The same kind and name in two API groups: the name index kept the other one.
      return (byType.get(`${group}/${kind}`) ?? empty).find((o) => o.metadata.name === name && namespaceOf(o) === namespace);
    },
    namespaceOf,
    refOf,
    workloads,
    allWorkloads,
    containers,
    containersOf: (w) => containersByWorkload.get(w) ?? containersOf(w),
    workloadOf,
    namespaces,
    allNamespaces,
    namespace: (name) => nsInfo.get(name),
    isSkippedNamespace,
    rbac,
  };
}

/**
 * Removes duplicate definitions (the last one wins, as with kubectl apply): by uid
 * for live objects, by group/kind/namespace/name for manifests. Returns the uid index too.
 */
function dropDuplicates(input: readonly KubeObject[]): { objects: readonly KubeObject[]; byUid: Map<string, KubeObject>; warnings: InputWarning[] } {
  const byUid = new Map<string, KubeObject>();
  let byKey: Map<string, KubeObject> | undefined;
  let dropped: Set<KubeObject> | undefined;
  const warnings: InputWarning[] = [];
  for (const obj of input) {
    const uid = obj.metadata.uid;
    let prev: KubeObject | undefined;
    if (typeof uid === "string" && uid !== "") {
      prev = byUid.get(uid);
      byUid.set(uid, obj);
    } else {
      byKey ??= new Map();
      const key = `${apiGroupOf(obj.apiVersion)}/${obj.kind}/${effectiveNamespace(obj) ?? ""}/${obj.metadata.name}`;
      prev = byKey.get(key);
      byKey.set(key, obj);
    }
    if (prev) {
      (dropped ??= new Set()).add(prev);
      const ns = effectiveNamespace(obj);
      warnings.push({ message: `${obj.kind} ${ns ? `${ns}/` : ""}${obj.metadata.name} is defined more than once; the last definition is used` });
    }
  }
  if (!dropped) return { objects: input, byUid, warnings };
  return { objects: input.filter((o) => !dropped.has(o)), byUid, warnings };
}
