/**
 * Small, defensive accessors over Kubernetes objects. Inputs are untrusted
 * (manifests, kubectl output, agent snapshots), so nothing here assumes a field
 * has the type the API would give it.
 */
import type { KubeObject } from "@/lib/snapshot/schema";

export type { KubeObject };

/** Identifies a resource in findings: what a user needs to find it with kubectl. */
export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export type UnknownRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is UnknownRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asRecord(value: unknown): UnknownRecord | undefined {
  return isRecord(value) ? value : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The API group of an apiVersion: "" for the core group ("v1"). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash === -1 ? "" : apiVersion.slice(0, slash);
}

export function labelsOf(obj: { metadata?: unknown }): Record<string, string> {
  const labels = asRecord(asRecord(obj.metadata)?.labels);
  return (labels as Record<string, string> | undefined) ?? {};
}

export function annotationsOf(obj: { metadata?: unknown }): Record<string, string> {
  const annotations = asRecord(asRecord(obj.metadata)?.annotations);
  return (annotations as Record<string, string> | undefined) ?? {};
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/**
 * Appends a map key or list index to a field path, in the notation findings use:
 * `spec.template.spec.containers[1].securityContext.privileged`, and
 * `metadata.labels["pod-security.kubernetes.io/enforce"]` for keys that are not identifiers.
 */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  if (IDENTIFIER.test(key)) return base === "" ? key : `${base}.${key}`;
  return `${base}[${JSON.stringify(key)}]`;
}

/** Splits a field path written by joinPath back into its segments. */
export function splitPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  let i = 0;
  while (i < path.length) {
    const ch = path[i];
    if (ch === ".") {
      i++;
      continue;
    }
    if (ch === "[") {
      const close = findBracketEnd(path, i);
      const inner = path.slice(i + 1, close);
      if (inner.startsWith('"')) out.push(JSON.parse(inner) as string);
      else out.push(Number(inner));
      i = close + 1;
      continue;
    }
    let j = i;
    while (j < path.length && path[j] !== "." && path[j] !== "[") j++;
    out.push(path.slice(i, j));
    i = j;
  }
  return out;
}

function findBracketEnd(path: string, open: number): number {
  if (path[open + 1] !== '"') {
    const close = path.indexOf("]", open);
    return close === -1 ? path.length : close;
  }
  // Quoted key: skip escaped quotes.
  let k = open + 2;
  while (k < path.length) {
    if (path[k] === "\\") k += 2;
    else if (path[k] === '"') return path.indexOf("]", k);
    else k++;
  }
  return path.length;
}

/** Reads a nested value by path segments; undefined when any step is missing. */
export function getIn(root: unknown, segments: readonly (string | number)[]): unknown {
  let cur: unknown = root;
  for (const seg of segments) {
    if (typeof seg === "number") {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[seg];
    } else {
      if (!isRecord(cur)) return undefined;
      cur = cur[seg];
    }
  }
  return cur;
}
