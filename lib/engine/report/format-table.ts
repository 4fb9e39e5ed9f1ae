/**
 * The terminal report (`ramparts scan --format table`): score, grade, coverage, the six
 * layers, then the most severe failures with the field to fix. Pure: returns text;
 * colors only when asked (the CLI asks when stdout is a terminal and NO_COLOR is unset).
 */
import type { Report } from "@/lib/engine/report/report-types";
import type { Severity } from "@/lib/engine/model/check";
import { capsSentence, countBySeverity, failuresBySeverity, percent, resourceLabel, sourceLabel } from "@/lib/engine/report/describe-finding";

export interface TableOptions {
  color?: boolean;
  /** How many failures to list (default 15). */
  top?: number;
  /** Line of the failing field, when known (SARIF's locator); falls back to the object's line. */
  fieldLine?: (findingIndex: number) => number | undefined;
}

const ANSI = { reset: "\x1b[0m", bold: "\x1b[1m", dim: "\x1b[2m", red: "\x1b[31m", green: "\x1b[32m", yellow: "\x1b[33m", magenta: "\x1b[35m", cyan: "\x1b[36m" } as const;

export function formatTable(report: Report, options: TableOptions = {}): string {
  const paint = (code: keyof typeof ANSI, text: string) => (options.color ? `${ANSI[code]}${text}${ANSI.reset}` : text);
  const gradeColor = (grade: string | null): keyof typeof ANSI => (grade === null ? "dim" : grade.startsWith("A") || grade.startsWith("B") ? "green" : grade.startsWith("C") ? "yellow" : "red");
  const sevColor: Record<Severity, keyof typeof ANSI> = { critical: "magenta", high: "red", medium: "yellow", low: "cyan" };
  const out: string[] = [];
  const t = report.target;
  out.push(`${paint("bold", "Ramparts")} ${t.name ?? "scan"}  ${paint("dim", `(${t.mode === "cluster" ? "cluster snapshot" : "manifests"}, ${t.objectCount} object${t.objectCount === 1 ? "" : "s"}${t.provider ? `, ${t.provider}` : ""})`)}`);
  out.push("");
  const caps = capsSentence(report.cappedBy);
  out.push(`  Score     ${paint("bold", paint(gradeColor(report.grade), `${report.score}/100  ${report.grade}`))}${caps ? paint("dim", `   ${caps}`) : ""}`);
  out.push(`  Coverage  ${percent(report.coverage.ratio)}${report.coverage.unknownChecks.length > 0 ? paint("dim", `   unknown: ${report.coverage.unknownChecks.join(", ")}`) : ""}`);
  const c = report.counts;
  out.push(`  Results   ${c.pass} pass, ${c.fail} fail, ${c.unknown} unknown, ${c.excepted} excepted`);
  out.push("");

  const rows = [["Layer", "Score", "Grade", "Coverage", "Pass", "Fail", "Unknown", "Excepted"]];
  for (const l of report.layers) {
    rows.push([`${l.id} ${l.name}`, l.score === null ? "-" : String(l.score), l.grade ?? "-", percent(l.coverage), String(l.counts.pass), String(l.counts.fail), String(l.counts.unknown), String(l.counts.excepted)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  rows.forEach((r, ri) => {
    const cells = r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)));
    if (ri === 0) {
      out.push(paint("bold", `  ${cells.join("  ")}`));
      return;
    }
    const layer = report.layers[ri - 1]!;
    cells[2] = paint(gradeColor(layer.grade), cells[2]!);
    const capped = layer.cappedBy.length > 0 ? paint("dim", `  ${capsSentence(layer.cappedBy)}`) : "";
    out.push(`  ${cells.join("  ")}${capped}`);
  });
  out.push("");

  const fails = failuresBySeverity(report);
  if (fails.length === 0) {
    out.push(`  ${paint("green", "No failures.")}`);
  } else {
    const sev = countBySeverity(fails);
    const top = Math.max(0, options.top ?? 15);
    const summary = (Object.keys(sev) as Severity[]).filter((s) => sev[s] > 0).map((s) => `${sev[s]} ${s}`).join(", ");
    out.push(paint("bold", `  Failed: ${fails.length} finding${fails.length === 1 ? "" : "s"} (${summary})${fails.length > top ? `, the ${top} most severe:` : ":"}`));
    const index = new Map(report.findings.map((f, i) => [f, i]));
    for (const f of fails.slice(0, top)) {
      const where = sourceLabel(f, options.fieldLine?.(index.get(f)!));
      out.push(`  ${paint(sevColor[f.severity], f.severity.toUpperCase().padEnd(8))}  ${paint("bold", f.checkId)}  ${resourceLabel(f)}${f.container ? ` [${f.container}]` : ""}`);
      out.push(`            ${f.path ?? ""}${where ? paint("dim", `  (${where})`) : ""}`);
      out.push(`            ${paint("dim", f.message)}`);
    }
    if (fails.length > top) out.push(paint("dim", `  ... ${fails.length - top} more: --format json, sarif or markdown lists them all.`));
  }
  const unknown = report.findings.filter((f) => f.status === "unknown");
  if (unknown.length > 0) {
    out.push("");
    out.push(paint("bold", `  Unknown: ${unknown.length} (never counted as a pass)`));
    for (const f of unknown.slice(0, 5)) out.push(`  ${paint("dim", "?")} ${f.checkId}  ${resourceLabel(f)}: ${paint("dim", f.message)}`);
    if (unknown.length > 5) out.push(paint("dim", `  ... ${unknown.length - 5} more`));
  }
  const excepted = report.findings.filter((f) => f.status === "excepted");
  if (excepted.length > 0) {
    out.push("");
    out.push(paint("dim", `  Excepted: ${excepted.length} finding(s) covered by exemptions or exception rules (listed in the JSON report).`));
  }
  for (const w of report.warnings.slice(0, 5)) out.push(paint("yellow", `  warning: ${w.file ? `${w.file}${w.line !== undefined ? `:${w.line}` : ""}: ` : ""}${w.message}`));
  if (report.warnings.length > 5) out.push(paint("yellow", `  ... ${report.warnings.length - 5} more warnings`));
  return `${out.join("\n")}\n`;
}
