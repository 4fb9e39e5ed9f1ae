/**
 * What a snapshot stores beside its findings, shaped for the dashboard: counts by severity and
 * status, coverage, what capped the score, every check's result, and the diff against the
 * previous snapshot. Stored as Snapshot.summary (JSON) and, per layer, SnapshotLayerScore.detail.
 */
import type { Report, ResultCounts, CheckSummary, ExceptionUse } from "@/lib/engine/report/report-types";
import type { CoverageEntry } from "@/lib/snapshot/schema";
import { SEVERITY_WEIGHT } from "@/lib/engine/scoring/score";
import type { Severity } from "@/lib/engine/model/check";

export type SeverityKey = "CRITICAL" | "HIGH" | "MEDIUM" | "LOW";
export const SEVERITY_KEYS: readonly SeverityKey[] = ["CRITICAL", "HIGH", "MEDIUM", "LOW"];

export interface FindingCounts {
  fail: number;
  unknown: number;
  excepted: number;
}

export interface SnapshotDiff {
  previousSnapshotId: string | null;
  previousScore: number | null;
  /** Score now minus the previous snapshot's score (null for a first snapshot). */
  scoreDelta: number | null;
  /** Findings whose fingerprint the previous snapshot did not have (Finding.isNew). */
  newFindings: number;
  /** The previous snapshot's findings whose fingerprint is gone. */
  resolvedFindings: number;
}

export interface CheckResultSummary {
  id: string;
  title: string;
  layer: number;
  severity: Severity;
  status: CheckSummary["status"];
  counts: ResultCounts;
}

export interface SnapshotSummary {
  /** "cluster": a live collection with coverage; "manifests": a closed world (files). */
  mode: "cluster" | "manifests";
  /** Outcome counts over every check (passes included). */
  counts: ResultCounts;
  /** Stored findings by severity and status. */
  findingsBySeverity: Record<SeverityKey, FindingCounts>;
  findingCount: number;
  cappedBy: Report["cappedBy"];
  coverage: { ratio: number; unknownChecks: string[]; unavailable: CoverageEntry[] };
  checks: CheckResultSummary[];
  exceptions: ExceptionUse[];
  warningCount: number;
  diff: SnapshotDiff;
}

/** SnapshotLayerScore.detail: the layer's counts and, first, the checks that pull it down. */
export interface LayerDetail {
  name: string;
  cappedBy: Report["layers"][number]["cappedBy"];
  counts: ResultCounts;
  /** Checks of the layer ordered by how much they cost: failing first (by severity weight and failure share), then unknown. */
  checks: (CheckResultSummary & { impact: number })[];
}

export function severityKey(severity: Severity): SeverityKey {
  return severity.toUpperCase() as SeverityKey;
}

export function summarizeFindings(report: Report): { bySeverity: Record<SeverityKey, FindingCounts>; total: number } {
  const bySeverity = Object.fromEntries(SEVERITY_KEYS.map((k) => [k, { fail: 0, unknown: 0, excepted: 0 }])) as Record<SeverityKey, FindingCounts>;
  for (const f of report.findings) bySeverity[severityKey(f.severity)][f.status]++;
  return { bySeverity, total: report.findings.length };
}

function checkSummary(c: CheckSummary): CheckResultSummary {
  return { id: c.id, title: c.title, layer: c.layer, severity: c.severity, status: c.status, counts: c.counts };
}

/** Weight the check loses: its severity weight times the failing share (unknowns count half). */
export function checkImpact(c: CheckSummary): number {
  const evaluated = c.counts.pass + c.counts.fail + c.counts.unknown;
  if (evaluated === 0) return 0;
  return SEVERITY_WEIGHT[c.severity] * ((c.counts.fail + c.counts.unknown / 2) / evaluated);
}

export function layerDetails(report: Report): Map<number, LayerDetail> {
  const details = new Map<number, LayerDetail>();
  for (const layer of report.layers) {
    const checks = report.checks
      .filter((c) => c.layer === layer.id)
      .map((c) => ({ ...checkSummary(c), impact: Math.round(checkImpact(c) * 1000) / 1000 }))
      .sort((a, b) => b.impact - a.impact || SEVERITY_WEIGHT[b.severity] - SEVERITY_WEIGHT[a.severity] || a.id.localeCompare(b.id));
    details.set(layer.id, { name: layer.name, cappedBy: layer.cappedBy, counts: layer.counts, checks });
  }
  return details;
}

export function buildSnapshotSummary(report: Report, diff: SnapshotDiff): SnapshotSummary {
  const findings = summarizeFindings(report);
  return {
    mode: report.target.mode,
    counts: report.counts,
    findingsBySeverity: findings.bySeverity,
    findingCount: findings.total,
    cappedBy: report.cappedBy,
    coverage: { ratio: report.coverage.ratio, unknownChecks: report.coverage.unknownChecks, unavailable: report.coverage.unavailable.slice(0, 100) },
    checks: report.checks.map(checkSummary),
    exceptions: report.exceptions,
    warningCount: report.warnings.length,
    diff,
  };
}
