/**
 * The API server's flags, where the cluster shows them: kube-apiserver static
 * (mirror) pods in kube-system on self-managed control planes. Shared by the etcd
 * encryption and audit logging checks.
 */
import type { KubeObject } from "@/lib/snapshot/schema";
import { asArray, asRecord, labelsOf, type UnknownRecord } from "@/lib/engine/model/kube";

/** The kube-apiserver static (mirror) pods, when the control plane runs in the cluster. */
const apiServerPodsCache = new WeakMap<readonly KubeObject[], KubeObject[]>();

export function apiServerPods(pods: readonly KubeObject[], namespaceOf: (o: KubeObject) => string | undefined): KubeObject[] {
  // Several checks ask, some once per namespace: filter the (large) pod list once per evaluation.
  const cached = apiServerPodsCache.get(pods);
  if (cached) return cached.slice();
  const found = pods.filter((p) => {
    if (namespaceOf(p) !== "kube-system") return false;
    const labels = labelsOf(p);
    return labels.component === "kube-apiserver" || p.metadata.name.startsWith("kube-apiserver");
  });
  apiServerPodsCache.set(pods, found);
  return found.slice();
}

/** Finds a flag in a pod's containers' command and args. Returns the path of the list holding it, or of the first list to add it to. */
export function findFlag(pod: KubeObject, flag: string): { found: boolean; path: string } {
  const containers = asArray(asRecord((pod as UnknownRecord).spec)?.containers);
  for (let i = 0; i < containers.length; i++) {
    const c = asRecord(containers[i]);
    for (const field of ["command", "args"] as const) {
      const list = asArray(c?.[field]);
      const at = list.findIndex((a) => typeof a === "string" && hasFlag(a, flag));
      if (at !== -1) return { found: true, path: `spec.containers[${i}].${field}[${at}]` };
    }
  }
  const first = asRecord(containers[0]);
  return { found: false, path: `spec.containers[0].${first && Array.isArray(first.command) ? "command" : "args"}` };
}


/** True when a command-line element holds the flag: `--flag`, `--flag=value`, or inside a shell string. */
function hasFlag(arg: string, flag: string): boolean {
  if (arg === flag || arg.startsWith(`${flag}=`)) return true;
  const at = arg.indexOf(flag);
  if (at <= 0) return false;
  const before = arg[at - 1];
  const after = arg[at + flag.length];
  return (before === " " || before === "\t") && (after === undefined || after === "=" || after === " ");
}
