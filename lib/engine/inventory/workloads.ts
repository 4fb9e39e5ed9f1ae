/**
 * Workloads: any object that carries a pod spec (Deployments, StatefulSets, DaemonSets,
 * Jobs, CronJobs, ReplicaSets, custom kinds such as Argo Rollouts or Knative Services),
 * plus bare Pods. Objects owned by another workload roll up to their top-level owner
 * (Pod -> ReplicaSet -> Deployment, Pod -> Job -> CronJob), so nothing is counted twice
 * and findings point at the object a user edits.
 */
import type { KubeObject } from "@/lib/snapshot/schema";
import { asArray, asRecord, asString, isRecord, type ResourceRef, type UnknownRecord } from "@/lib/engine/model/kube";

export interface PodSpecLocation {
  spec: UnknownRecord;
  /** Path of the pod spec inside the object: "spec", "spec.template.spec" or "spec.jobTemplate.spec.template.spec". */
  path: string;
  /** Pod-level metadata: the template's metadata, or the Pod's own. */
  metadata: UnknownRecord | undefined;
  metadataPath: string;
}

export interface Workload {
  object: KubeObject;
  ref: ResourceRef;
  kind: string;
  name: string;
  namespace: string;
  podSpec: UnknownRecord;
  podSpecPath: string;
  podMetadata: UnknownRecord | undefined;
  podMetadataPath: string;
  /** Labels pods of this workload get (template labels; a Pod's own labels). */
  podLabels: Record<string, string>;
  podAnnotations: Record<string, string>;
  /** Running pods that rolled up to this workload (empty for a bare Pod and for manifests). */
  pods: KubeObject[];
  /** True when the namespace is skipped by default (kube-system, ...) or by option. */
  inSkippedNamespace: boolean;
  /** spec.os.name is "windows": Linux-only checks are not applicable. */
  isWindows: boolean;
}

/** Cheap test, without allocating, for what findPodSpec would find. */
export function hasPodSpec(obj: KubeObject): boolean {
  const spec = (obj as UnknownRecord).spec as UnknownRecord | undefined;
  if (!isRecord(spec)) return false;
  if (obj.kind === "Pod" && Array.isArray(spec.containers)) return true;
  const tpl = asRecord(asRecord(spec.template)?.spec);
  if (tpl && Array.isArray(tpl.containers)) return true;
  const job = asRecord(asRecord(asRecord(asRecord(spec.jobTemplate)?.spec)?.template)?.spec);
  return job !== undefined && Array.isArray(job.containers);
}

/** Finds the pod spec of an object, if it has one with a containers list. */
export function findPodSpec(obj: KubeObject): PodSpecLocation | undefined {
  const spec = asRecord((obj as UnknownRecord).spec);
  if (!spec) return undefined;
  if (obj.kind === "Pod" && Array.isArray(spec.containers)) {
    return { spec, path: "spec", metadata: obj.metadata as UnknownRecord, metadataPath: "metadata" };
  }
  const template = asRecord(spec.template);
  const templateSpec = asRecord(template?.spec);
  if (templateSpec && Array.isArray(templateSpec.containers)) {
    return { spec: templateSpec, path: "spec.template.spec", metadata: asRecord(template?.metadata), metadataPath: "spec.template.metadata" };
  }
  const jobTemplate = asRecord(asRecord(spec.jobTemplate)?.spec);
  const jobPodTemplate = asRecord(jobTemplate?.template);
  const jobPodSpec = asRecord(jobPodTemplate?.spec);
  if (jobPodSpec && Array.isArray(jobPodSpec.containers)) {
    return {
      spec: jobPodSpec,
      path: "spec.jobTemplate.spec.template.spec",
      metadata: asRecord(jobPodTemplate?.metadata),
      metadataPath: "spec.jobTemplate.spec.template.metadata",
    };
  }
  return undefined;
}

export interface OwnershipIndex {
  byUid(uid: string): KubeObject | undefined;
  byName(namespace: string | undefined, kind: string, name: string): KubeObject | undefined;
}

export function objectKey(namespace: string | undefined, kind: string, name: string): string {
  return `${namespace ?? ""}/${kind}/${name}`;
}

const MAX_OWNER_DEPTH = 8;

/**
 * The controller owner of an object, when it is in the input. When the agent left
 * out intermediate objects (ReplicaSets, Jobs), their names still lead to the
 * Deployment or CronJob: `<deployment>-<pod-template-hash>`, `<cronjob>-<scheduled time>`.
 */
export function ownerOf(obj: KubeObject, namespace: string | undefined, index: OwnershipIndex): KubeObject | undefined {
  const refs = asArray(obj.metadata.ownerReferences).filter(isRecord);
  const ref = refs.find((r) => r.controller === true) ?? (refs.length === 1 ? refs[0] : undefined);
  if (!ref) return undefined;
  const kind = asString(ref.kind);
  const name = asString(ref.name);
  if (!kind || !name) return undefined;
  const uid = asString(ref.uid);
  const direct = (uid && index.byUid(uid)) || index.byName(namespace, kind, name);
  if (direct) return direct;
  if (kind === "ReplicaSet") {
    const hash = obj.metadata.labels?.["pod-template-hash"];
    if (hash && name.endsWith(`-${hash}`)) return index.byName(namespace, "Deployment", name.slice(0, -hash.length - 1));
  }
  if (kind === "Job") {
    const match = /^(.+)-\d+$/.exec(name);
    if (match) return index.byName(namespace, "CronJob", match[1]!);
  }
  return undefined;
}

/**
 * The object findings about `obj` belong to: its highest owner that itself has a
 * pod spec. Owners without one (an operator's custom resource, a Node for static
 * pods) stop the climb, because there is no field in them to point at.
 */
export function topWorkloadOf(obj: KubeObject, namespace: string | undefined, index: OwnershipIndex): KubeObject {
  let current = obj;
  for (let depth = 0; depth < MAX_OWNER_DEPTH; depth++) {
    if (!current.metadata.ownerReferences) return current;
    const owner = ownerOf(current, namespace, index);
    if (!owner || owner === obj || !hasPodSpec(owner)) return current;
    current = owner;
  }
  return current;
}
