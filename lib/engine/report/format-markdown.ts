/**
 * A Markdown report for pull-request comments and job summaries: the score, the six
 * layers, then the failures grouped by severity (collapsible), unknowns and excepted
 * findings. Stays under GitHub's comment size limit by capping the listed rows.
 */
import type { Finding, Report } from "@/lib/engine/report/report-types";
import { SEVERITIES } from "@/lib/engine/model/check";
import { capsSentence, countBySeverity, percent, resourceLabel, sourceLabel } from "@/lib/engine/report/describe-finding";
import { CHECK_DOCS_URL } from "@/lib/engine/report/format-sarif";

export interface MarkdownOptions {
  /** Most finding rows listed in total (default 150); the rest is counted. */
  maxRows?: number;
  /** Line of each finding's field (parallel to report.findings), when known. */
  fieldLine?: (findingIndex: number) => number | undefined;
}

const GRADE_ICON = (grade: string | null) => (grade === null ? "⚪" : /^[AB]/.test(grade) ? "🟢" : grade.startsWith("C") ? "🟡" : "🔴");

/** Escapes text for a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function code(text: string): string {
  // A backtick inside would end the span: use a double-backtick span then.
  return text.includes("`") ? `\`\` ${cell(text)} \`\`` : `\`${cell(text)}\``;
}

export function formatMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const maxRows = options.maxRows ?? 150;
  const index = new Map(report.findings.map((f, i) => [f, i]));
  const out: string[] = [];
  const t = report.target;
  out.push(`## ${GRADE_ICON(report.grade)} Ramparts: ${report.score}/100 (${report.grade})`);
  out.push("");
  const facts = [
    t.name ? code(t.name) : undefined,
    t.mode === "cluster" ? "cluster snapshot" : "manifests",
    `${t.objectCount} object${t.objectCount === 1 ? "" : "s"}`,
    `coverage ${percent(report.coverage.ratio)}`,
    capsSentence(report.cappedBy) || undefined,
  ].filter((x): x is string => x !== undefined);
  out.push(facts.join(" · "));
  out.push("");
  out.push("| Layer | Score | Grade | Coverage | Fail | Unknown | Excepted |");
  out.push("|---|---:|:---:|---:|---:|---:|---:|");
  for (const l of report.layers) {
    out.push(`| ${l.id}. ${cell(l.name)} | ${l.score ?? "–"} | ${GRADE_ICON(l.grade)} ${l.grade ?? "–"} | ${percent(l.coverage)} | ${l.counts.fail} | ${l.counts.unknown} | ${l.counts.excepted} |`);
  }
  out.push("");

  let budget = maxRows;
  const rowsOf = (list: readonly Finding[], withSeverity: boolean): string[] => {
    const rows: string[] = [];
    for (const f of list) {
      if (budget <= 0) break;
      budget--;
      const where = sourceLabel(f, options.fieldLine?.(index.get(f)!));
      const resource = `${resourceLabel(f)}${f.container ? ` [${f.container}]` : ""}`;
      rows.push(`| ${withSeverity ? `${f.severity} | ` : ""}[${code(f.checkId)}](${CHECK_DOCS_URL}/${f.checkId}) | ${cell(resource)}${where ? `<br><sub>${cell(where)}</sub>` : ""} | ${f.path ? code(f.path) : ""} | ${cell(f.message)} |`);
    }
    return rows;
  };

  const fails = report.findings.filter((f) => f.status === "fail");
  if (fails.length === 0) {
    out.push("**No failures.**");
  } else {
    const counts = countBySeverity(fails);
    out.push(`### Failures: ${fails.length} (${SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`).join(", ")})`);
    out.push("");
    for (const severity of SEVERITIES) {
      const list = fails.filter((f) => f.severity === severity);
      if (list.length === 0) continue;
      const open = severity === "critical" || severity === "high" ? " open" : "";
      out.push(`<details${open}><summary><b>${severity}</b> (${list.length})</summary>`);
      out.push("");
      out.push("| Check | Resource | Field | Problem |");
      out.push("|---|---|---|---|");
      const rows = rowsOf(list, false);
      out.push(...rows);
      if (rows.length < list.length) out.push(`| … | ${list.length - rows.length} more | | |`);
      out.push("");
      out.push("</details>");
      out.push("");
    }
  }
  const unknown = report.findings.filter((f) => f.status === "unknown");
  if (unknown.length > 0) {
    out.push("");
    out.push(`<details><summary><b>Unknown</b> (${unknown.length}): could not be evaluated, never counted as a pass</summary>`);
    out.push("");
    out.push("| Severity | Check | Resource | Field | Why |");
    out.push("|---|---|---|---|---|");
    const rows = rowsOf(unknown, true);
    out.push(...rows);
    if (rows.length < unknown.length) out.push(`| … | | ${unknown.length - rows.length} more | | |`);
    out.push("");
    out.push("</details>");
  }
  const excepted = report.findings.filter((f) => f.status === "excepted");
  if (excepted.length > 0) {
    out.push("");
    out.push(`<details><summary><b>Excepted</b> (${excepted.length}): accepted by an exemption or exception rule, left out of the score</summary>`);
    out.push("");
    out.push("| Severity | Check | Resource | Field | Problem |");
    out.push("|---|---|---|---|---|");
    const rows = rowsOf(excepted, true);
    out.push(...rows);
    if (rows.length < excepted.length) out.push(`| … | | ${excepted.length - rows.length} more | | |`);
    out.push("");
    out.push("</details>");
  }
  if (budget <= 0) {
    out.push("");
    out.push(`_Only the first ${maxRows} findings are listed; the JSON or SARIF report has them all._`);
  }
  return `${out.join("\n").replace(/\n{3,}/g, "\n\n")}\n`;
}
