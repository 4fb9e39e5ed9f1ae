/**
 * The indexed view of the input that checks read: objects by type and name,
 * top-level workloads and their containers, namespaces, RBAC. Built once per
 * evaluation in a few linear passes.
 */
import type { KubeObject } from "@/lib/snapshot/schema";
import { annotationsOf, apiGroupOf, labelsOf, type ResourceRef } from "@/lib/engine/model/kube";
import { effectiveNamespace } from "@/lib/engine/inventory/namespace-scope";
import { findPodSpec, objectKey, topWorkloadOf, type OwnershipIndex, type PodSpecLocation, type Workload } from "@/lib/engine/inventory/workloads";
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
  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  /** The namespace an object lives in ("default" for namespaced manifests without one). */
  namespaceOf(obj: KubeObject): string | undefined;
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
  const { objects, warnings } = dropDuplicates(input);
  const skip = new Set(options.skipNamespaces ?? DEFAULT_SKIPPED_NAMESPACES);
  const isSkippedNamespace = (ns: string | undefined) => ns !== undefined && skip.has(ns);

  const nsOf = new Map<KubeObject, string | undefined>();
  const byType = new Map<string, KubeObject[]>();
  const byKind = new Map<string, KubeObject[]>();
  const ownership: OwnershipIndex = { byUid: new Map(), byKey: new Map() };
  const podSpecs = new Map<KubeObject, PodSpecLocation>();

  for (const obj of objects) {
    const ns = effectiveNamespace(obj);
    nsOf.set(obj, ns);
    push(byType, `${apiGroupOf(obj.apiVersion)}/${obj.kind}`, obj);
    push(byKind, obj.kind, obj);
    const uid = obj.metadata.uid;
    if (typeof uid === "string" && uid !== "") ownership.byUid.set(uid, obj);
    ownership.byKey.set(objectKey(ns, obj.kind, obj.metadata.name), obj);
    const pod = findPodSpec(obj);
    if (pod) podSpecs.set(obj, pod);
  }

  const namespaceOf = (obj: KubeObject) => (nsOf.has(obj) ? nsOf.get(obj) : effectiveNamespace(obj));
  const refOf = (obj: KubeObject): ResourceRef => {
    const ns = namespaceOf(obj);
    return ns === undefined
      ? { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name }
      : { apiVersion: obj.apiVersion, kind: obj.kind, namespace: ns, name: obj.metadata.name };
  };

  // Roll every pod-carrying object up to its top-level workload.
  const hasPodSpec = (o: KubeObject) => podSpecs.has(o);
  const workloadByObject = new Map<KubeObject, Workload>();
  const topOf = new Map<KubeObject, KubeObject>();
  const allWorkloads: Workload[] = [];
  for (const [obj, pod] of podSpecs) {
    const top = topWorkloadOf(obj, namespaceOf(obj), ownership, hasPodSpec);
    topOf.set(obj, top);
    if (top !== obj) continue;
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
    workloadByObject.set(obj, w);
  }
  for (const [obj, top] of topOf) {
    if (top === obj) continue;
    const w = workloadByObject.get(top);
    if (!w) continue;
    workloadByObject.set(obj, w);
    if (obj.kind === "Pod") w.pods.push(obj);
  }

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
  for (const ns of new Set(nsOf.values())) if (ns !== undefined) ensureNs(ns);
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
  return {
    objects,
    warnings,
    ofType: (group, kind) => byType.get(`${group}/${kind}`) ?? empty,
    ofKind: (kind) => byKind.get(kind) ?? empty,
    get: (kind, namespace, name) => ownership.byKey.get(objectKey(namespace, kind, name)),
    namespaceOf,
    refOf,
    workloads,
    allWorkloads,
    containers,
    containersOf: (w) => containersByWorkload.get(w) ?? containersOf(w),
    workloadOf: (obj) => workloadByObject.get(obj),
    namespaces,
    allNamespaces,
    namespace: (name) => nsInfo.get(name),
    isSkippedNamespace,
    rbac,
  };
}

function dropDuplicates(input: readonly KubeObject[]): { objects: readonly KubeObject[]; warnings: InputWarning[] } {
  const last = new Map<string, KubeObject>();
  const dropped = new Set<KubeObject>();
  const warnings: InputWarning[] = [];
  for (const obj of input) {
    const ns = effectiveNamespace(obj);
    const key = `${apiGroupOf(obj.apiVersion)}/${obj.kind}/${ns ?? ""}/${obj.metadata.name}`;
    const prev = last.get(key);
    if (prev) {
      dropped.add(prev);
      warnings.push({ message: `${obj.kind} ${ns ? `${ns}/` : ""}${obj.metadata.name} is defined more than once; the last definition is used` });
    }
    last.set(key, obj);
  }
  return { objects: dropped.size === 0 ? input : input.filter((o) => !dropped.has(o)), warnings };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
