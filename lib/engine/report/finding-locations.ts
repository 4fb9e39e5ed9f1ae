/**
 * File, line and column of each finding's field, for SARIF and the terminal: the
 * object's source (file, document, list item) plus the field path, resolved in the
 * file's text by the field locator. Pure: the caller hands over the texts it read.
 */
import type { EngineInput, ObjectSource } from "@/lib/engine/model/engine-input";
import { apiGroupOf, type ResourceRef } from "@/lib/engine/model/kube";
import { effectiveNamespace } from "@/lib/engine/inventory/namespace-scope";
import { createFieldLocator, type FieldLocator } from "@/lib/engine/inputs/field-locator";
import type { Finding } from "@/lib/engine/report/report-types";

export interface FindingLocation {
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  /** False when the field is absent and the position is that of its nearest existing parent (where the fix goes). */
  exact: boolean;
}

function keyOf(group: string, kind: string, namespace: string | undefined, name: string): string {
  return `${group}\u0000${kind}\u0000${namespace ?? ""}\u0000${name}`;
}

/** Locations parallel to `findings` (undefined where the object has no source, e.g. snapshots). */
export function locateFindings(findings: readonly Finding[], input: EngineInput, texts: ReadonlyMap<string, string>): (FindingLocation | undefined)[] {
  const sources = input.sources ?? [];
  // The last definition wins, as in the inventory.
  const byKey = new Map<string, ObjectSource>();
  input.objects.forEach((o, i) => {
    const s = sources[i];
    if (s) byKey.set(keyOf(apiGroupOf(o.apiVersion), o.kind, effectiveNamespace(o), o.metadata.name), s);
  });
  const locators = new Map<string, FieldLocator | null>();
  const locatorOf = (file: string): FieldLocator | null => {
    let l = locators.get(file);
    if (l === undefined) {
      const text = texts.get(file);
      l = text === undefined ? null : createFieldLocator(text);
      locators.set(file, l);
    }
    return l;
  };
  return findings.map((f) => {
    const r: ResourceRef = f.resource;
    const source = byKey.get(keyOf(apiGroupOf(r.apiVersion), r.kind, r.namespace, r.name));
    if (!source) return undefined;
    const locator = locatorOf(source.file);
    const pos = locator?.(source, f.path ?? "");
    if (pos) return { file: source.file, line: pos.line, column: pos.column, exact: pos.exact };
    if (source.line === undefined) return undefined;
    return { file: source.file, line: source.line, column: source.column ?? 1, exact: false };
  });
}
