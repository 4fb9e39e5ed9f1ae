/**
 * Decides whether a finding is excepted: by the `ramparts.dev/exempt` annotation
 * (on the resource, its pod template, or its namespace) or by an exception rule.
 */
import type { KubeObject } from "@/lib/snapshot/schema";
import type { ResourceRef } from "@/lib/engine/model/kube";
import { annotationsOf, labelsOf } from "@/lib/engine/model/kube";
import type { FindingException } from "@/lib/engine/report/report-types";
import { globToRegExp, type ExceptionRule } from "@/lib/engine/exceptions/exception-rule";

export const EXEMPT_ANNOTATION = "ramparts.dev/exempt";

/** Parses "check-a, check-b" into a set of ids. */
export function parseExemptAnnotation(value: string | undefined): ReadonlySet<string> {
  if (!value) return EMPTY;
  return new Set(value.split(",").map((s) => s.trim()).filter((s) => s !== ""));
}
const EMPTY: ReadonlySet<string> = new Set();

interface CompiledRule {
  rule: ExceptionRule;
  index: number;
  namespace?: RegExp;
  name?: RegExp;
  container?: RegExp;
}

export interface ExemptionTarget {
  checkId: string;
  ref: ResourceRef;
  object: KubeObject | undefined;
  /** Pod template annotations when the resource is a workload. */
  podAnnotations: Record<string, string> | undefined;
  namespaceAnnotations: Record<string, string> | undefined;
  container: string | undefined;
}

export class Exemptions {
  private readonly active: CompiledRule[];
  private readonly annotationCache = new Map<object, ReadonlySet<string>>();
  private readonly nsCache = new Map<Record<string, string>, ReadonlySet<string>>();
  readonly matched: number[];

  constructor(
    readonly rules: readonly ExceptionRule[],
    now: Date,
  ) {
    this.matched = rules.map(() => 0);
    this.active = [];
    rules.forEach((rule, index) => {
      if (rule.expiresAt !== undefined && Date.parse(rule.expiresAt) <= now.getTime()) return;
      this.active.push({
        rule,
        index,
        namespace: rule.namespace !== undefined ? globToRegExp(rule.namespace) : undefined,
        name: rule.name !== undefined ? globToRegExp(rule.name) : undefined,
        container: rule.container !== undefined ? globToRegExp(rule.container) : undefined,
      });
    });
  }

  isActive(index: number): boolean {
    return this.active.some((r) => r.index === index);
  }

  /**
   * The exception that covers this finding, if any (annotations first, then rules in order).
   * `findings`: how many findings the decision covers (a rule's `matched` count grows by it).
   */
  find(t: ExemptionTarget, findings = 1): FindingException | undefined {
    if (t.object) {
      let ids = this.annotationCache.get(t.object);
      if (!ids) {
        ids = parseExemptAnnotation(annotationsOf(t.object)[EXEMPT_ANNOTATION]);
        this.annotationCache.set(t.object, ids);
      }
      if (ids.has(t.checkId)) return { source: "annotation", on: "resource" };
    }
    if (t.podAnnotations && parseExemptAnnotation(t.podAnnotations[EXEMPT_ANNOTATION]).has(t.checkId)) {
      return { source: "annotation", on: "pod-template" };
    }
    if (t.namespaceAnnotations) {
      let ids = this.nsCache.get(t.namespaceAnnotations);
      if (!ids) {
        ids = parseExemptAnnotation(t.namespaceAnnotations[EXEMPT_ANNOTATION]);
        this.nsCache.set(t.namespaceAnnotations, ids);
      }
      if (ids.has(t.checkId)) return { source: "annotation", on: "namespace" };
    }
    for (const c of this.active) {
      const r = c.rule;
      if (r.checkId !== "*" && r.checkId !== t.checkId) continue;
      if (r.kind !== undefined && r.kind !== t.ref.kind) continue;
      if (c.namespace && !(t.ref.namespace !== undefined && c.namespace.test(t.ref.namespace))) continue;
      if (c.name && !c.name.test(t.ref.name)) continue;
      if (c.container && !(t.container !== undefined && c.container.test(t.container))) continue;
      if (r.labels) {
        const labels = t.object ? labelsOf(t.object) : {};
        if (!Object.entries(r.labels).every(([k, v]) => labels[k] === v)) continue;
      }
      this.matched[c.index]! += findings;
      const out: FindingException = { source: "rule", reason: r.reason };
      if (r.id !== undefined) out.id = r.id;
      if (r.expiresAt !== undefined) out.expiresAt = r.expiresAt;
      return out;
    }
    return undefined;
  }
}
