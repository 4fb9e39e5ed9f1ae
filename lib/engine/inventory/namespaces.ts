/** Namespaces as the engine sees them: listed Namespace objects plus namespaces only referenced by other objects. */
import type { KubeObject } from "@/lib/snapshot/schema";
import type { ResourceRef } from "@/lib/engine/model/kube";

export interface NamespaceInfo {
  name: string;
  /** The Namespace object, when the input holds it (manifests often do not). */
  object: KubeObject | undefined;
  ref: ResourceRef;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Skipped by default (kube-system, ...) or by option: namespace and workload checks leave it out. */
  skipped: boolean;
  /** Number of top-level workloads in the namespace. */
  workloadCount: number;
}

export function namespaceRef(name: string): ResourceRef {
  return { apiVersion: "v1", kind: "Namespace", name };
}
