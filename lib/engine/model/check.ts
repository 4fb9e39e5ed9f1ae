/**
 * The check contract. A check is data (id, title, layer, severity, why, guide,
 * references, the resource lists it needs) plus a pure `evaluate` that reads the
 * inventory and records one outcome per resource it looked at. See docs/checks.md.
 */
import type { KubeObject } from "@/lib/snapshot/schema";
import type { ResourceRef } from "@/lib/engine/model/kube";
import type { LayerId } from "@/lib/engine/model/layers";
import type { ClusterInfo, CoverageEntry } from "@/lib/engine/model/engine-input";
import type { Inventory } from "@/lib/engine/inventory/inventory";

export type Severity = "critical" | "high" | "medium" | "low";
export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low"];

/** What one outcome is about: informs docs and UI; evaluation is the same for all. */
export type CheckScope = "container" | "pod" | "workload" | "namespace" | "rbac" | "cluster";

export interface CheckReferences {
  /** CIS Kubernetes Benchmark recommendation numbers, e.g. ["5.2.2"]. */
  cis?: string[];
  /** NSA/CISA Kubernetes Hardening Guide sections. */
  nsa?: string[];
  /** Kubescape control ids, e.g. ["C-0057"]. */
  kubescape?: string[];
  /** Polaris check ids, e.g. ["runAsPrivileged"]. */
  polaris?: string[];
}

/** A resource list the check reads. When a required one could not be listed, the check is `unknown`. */
export interface ResourceNeed {
  /** API group, "" for core. */
  group: string;
  /** Plural resource name as the agent lists it, e.g. "networkpolicies". */
  resource: string;
  /** An alternative source (Cilium/Calico policies...): its absence does not make the check unknown; ask ctx.canSee(). */
  optional?: boolean;
}

export interface CheckMeta {
  /** Stable kebab-case id naming the topic (e.g. "privileged-container"). Never rename: exceptions and history use it. */
  id: string;
  title: string;
  layer: LayerId;
  severity: Severity;
  scope: CheckScope;
  /** Why it matters, one short paragraph of plain text. */
  why: string;
  /** Remediation guide in Markdown with "## Fix" (a paste-able YAML or kubectl fix) and "## Prevent" (the admission policy). */
  guide: string;
  references: CheckReferences;
  needs: ResourceNeed[];
}

export interface Violation {
  /** Exact field path from the resource root, e.g. "spec.template.spec.containers[1].securityContext.privileged". */
  path: string;
  /** One line, naming the value found and what is expected. */
  message: string;
}

export type CheckOutcome =
  | { readonly status: "pass"; readonly count?: number }
  | { readonly status: "fail"; readonly violations: readonly Violation[] }
  | { readonly status: "unknown"; readonly message: string; readonly path?: string }
  | { readonly status: "not-applicable"; readonly count?: number };

export interface OutcomeSubject {
  /** The object the outcome is about. Pass a KubeObject whenever there is one: exceptions and file locations need it. */
  resource: KubeObject | ResourceRef;
  /** Container name, for container-level outcomes. */
  container?: string;
}

/** Coverage status of a list, "not-collected" when the agent did not try it. Manifests: always "ok". */
export type ListVisibility = CoverageEntry["status"] | "not-collected";

/** Options that change what checks consider correct. */
export interface CheckOptions {
  /** Registries (host or host/path prefixes) images may come from. Empty or absent: the allowed-registry check is not applicable. */
  allowedRegistries?: readonly string[];
}

export interface CheckContext {
  readonly inventory: Inventory;
  readonly options: CheckOptions;
  readonly cluster: ClusterInfo;
  /** "cluster": a live snapshot with coverage; "manifests": files taken as the whole truth. */
  readonly mode: "cluster" | "manifests";
  /** Evaluation time (from the caller; the engine never reads the clock). */
  readonly now: Date;
  visibility(group: string, resource: string): ListVisibility;
  /** True when the list was read (ok) or its API does not exist in the cluster (absent: the tool is not installed). */
  canSee(group: string, resource: string): boolean;
  /** Records one outcome. The engine copies what it needs from `subject` at once: callers may reuse the object. */
  record(subject: OutcomeSubject, outcome: CheckOutcome): void;
}

export interface Check extends CheckMeta {
  evaluate(ctx: CheckContext): void;
}
