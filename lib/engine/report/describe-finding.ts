/** Small text helpers shared by the human-readable report formats (table, Markdown). */
import type { Finding, Report } from "@/lib/engine/report/report-types";
import { SEVERITIES, type Severity } from "@/lib/engine/model/check";

/** "Deployment shop/web" or "ClusterRoleBinding jane-admin". */
export function resourceLabel(f: Pick<Finding, "resource">): string {
  const r = f.resource;
  return `${r.kind} ${r.namespace !== undefined ? `${r.namespace}/` : ""}${r.name}`;
}

/** "file.yaml:12", or undefined when the finding has no source (snapshots). */
export function sourceLabel(f: Pick<Finding, "source">, line?: number): string | undefined {
  if (!f.source) return undefined;
  const at = line ?? f.source.line;
  return at !== undefined ? `${f.source.file}:${at}` : f.source.file;
}

const RANK = new Map(SEVERITIES.map((s, i) => [s, i]));

/** Failures, most severe first, then in report order (layer, check, resource). */
export function failuresBySeverity(report: Pick<Report, "findings">): Finding[] {
  const fails = report.findings.filter((f) => f.status === "fail");
  return fails
    .map((f, i) => ({ f, i }))
    .sort((a, b) => RANK.get(a.f.severity)! - RANK.get(b.f.severity)! || a.i - b.i)
    .map((x) => x.f);
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const out: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}

export function percent(ratio: number | null): string {
  return ratio === null ? "-" : `${Math.floor(ratio * 1000) / 10}%`;
}

/** A sentence for what held the score down, or "" when nothing did. */
export function capsSentence(caps: readonly ("critical" | "coverage")[]): string {
  const parts = caps.map((c) => (c === "critical" ? "a critical failure (max 69)" : "coverage (unknown results)"));
  return parts.length === 0 ? "" : `capped by ${parts.join(" and ")}`;
}
