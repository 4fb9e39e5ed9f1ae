/**
 * Per-namespace indexes, built once per evaluation: checks that look at every namespace would
 * otherwise scan every workload or policy once per namespace (quadratic on large clusters).
 */
import type { KubeObject } from "@/lib/snapshot/schema";
import type { Inventory } from "@/lib/engine/inventory/inventory";
import type { Workload } from "@/lib/engine/inventory/workloads";

const workloadCache = new WeakMap<Inventory, Map<string, Workload[]>>();
const objectCache = new WeakMap<Inventory, Map<string, Map<string, KubeObject[]>>>();
const NONE: readonly never[] = [];

/** Top-level workloads of a namespace (skipped namespaces included: callers decide). */
export function workloadsIn(inv: Inventory, namespace: string): readonly Workload[] {
  let index = workloadCache.get(inv);
  if (!index) {
    index = new Map();
    for (const w of inv.allWorkloads) {
      const list = index.get(w.namespace);
      if (list) list.push(w);
      else index.set(w.namespace, [w]);
    }
    workloadCache.set(inv, index);
  }
  return index.get(namespace) ?? NONE;
}

/** Objects of one API group and kind in a namespace. */
export function objectsIn(inv: Inventory, group: string, kind: string, namespace: string): readonly KubeObject[] {
  let byType = objectCache.get(inv);
  if (!byType) {
    byType = new Map();
    objectCache.set(inv, byType);
  }
  const key = `${group}/${kind}`;
  let index = byType.get(key);
  if (!index) {
    index = new Map();
    for (const o of inv.ofType(group, kind)) {
      const ns = inv.namespaceOf(o) ?? "";
      const list = index.get(ns);
      if (list) list.push(o);
      else index.set(ns, [o]);
    }
    byType.set(key, index);
  }
  return index.get(namespace) ?? NONE;
}
