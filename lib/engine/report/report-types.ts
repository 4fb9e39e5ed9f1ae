/**
 * The engine's report: what the CLI prints as JSON, what the backend stores.
 * Documented field by field in docs/report-format.md; bump REPORT_VERSION on any
 * breaking change.
 */
import type { CheckReferences, CheckScope, Severity } from "@/lib/engine/model/check";
import type { ResourceRef } from "@/lib/engine/model/kube";
import type { LayerId } from "@/lib/engine/model/layers";
import type { CoverageEntry, InputWarning } from "@/lib/engine/model/engine-input";
import type { Grade } from "@/lib/engine/scoring/grades";

export const REPORT_VERSION = "1";

/** Listed statuses. Passes and not-applicable results are counted, not listed. */
export type FindingStatus = "fail" | "unknown" | "excepted";
export type ResultStatus = "pass" | FindingStatus | "not-applicable";

export type FindingException =
  | { source: "annotation"; on: "resource" | "pod-template" | "namespace" }
  | { source: "rule"; id?: string; reason: string; expiresAt?: string };

export interface Finding {
  /** Stable identity across snapshots: hash of checkId, resource (group, kind, namespace, name), container and path. */
  fingerprint: string;
  checkId: string;
  status: FindingStatus;
  severity: Severity;
  layer: LayerId;
  resource: ResourceRef;
  container: string | null;
  /** Exact field path; null only for unknown results that concern no field. */
  path: string | null;
  message: string;
  /** Where the resource was read from (manifest scans). */
  source?: { file: string; line?: number };
  /** Why the finding is excepted (status "excepted" only). */
  exception?: FindingException;
}

export interface ResultCounts {
  pass: number;
  fail: number;
  unknown: number;
  excepted: number;
  notApplicable: number;
}

export interface CheckSummary {
  id: string;
  title: string;
  layer: LayerId;
  severity: Severity;
  scope: CheckScope;
  /** fail if any fail; else unknown if any unknown; else pass if any pass; else excepted; else not-applicable. */
  status: ResultStatus;
  counts: ResultCounts;
  references: Required<CheckReferences>;
}

export interface LayerScore {
  id: LayerId;
  name: string;
  /** 0-100, null when nothing in the layer could be evaluated (all unknown or not applicable). */
  score: number | null;
  grade: Grade | null;
  /** Share (0-1) of the layer's applicable check weight that could be evaluated; null when no check applies. */
  coverage: number | null;
  /** What held the score down beyond the failures themselves. */
  cappedBy: ("critical" | "coverage")[];
  counts: ResultCounts;
}

export interface ExceptionUse {
  id?: string;
  checkId: string;
  reason: string;
  expiresAt?: string;
  state: "active" | "expired";
  /** Findings this rule excepted (0 for expired rules). */
  matched: number;
}

export interface Report {
  reportVersion: typeof REPORT_VERSION;
  /** The `now` the evaluation was run with (ISO). */
  generatedAt: string;
  target: {
    name?: string;
    mode: "cluster" | "manifests";
    provider?: string;
    kubernetesVersion?: string;
    collectedAt?: string;
    objectCount: number;
  };
  score: number;
  grade: Grade;
  cappedBy: ("critical" | "coverage")[];
  coverage: {
    /** Share (0-1) of applicable check weight that could be evaluated; unknowns lower it. */
    ratio: number;
    unknownChecks: string[];
    /** Lists the agent could not read (forbidden, error). */
    unavailable: CoverageEntry[];
  };
  layers: LayerScore[];
  counts: ResultCounts;
  findings: Finding[];
  checks: CheckSummary[];
  exceptions: ExceptionUse[];
  warnings: InputWarning[];
}
