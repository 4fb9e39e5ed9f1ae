/**
 * Findings as CSV (RFC 4180). Cells that a spreadsheet would run as a formula (=, +, -, @, tab,
 * carriage return first) are prefixed with a quote: resource names come from the cluster, not us.
 */
import type { FindingView } from "./finding-view";

export const CSV_COLUMNS = ["severity", "status", "layer", "check_id", "check_title", "api_version", "kind", "namespace", "name", "container", "path", "message", "new", "fingerprint", "exception_id"] as const;

export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function findingsToCsv(findings: readonly FindingView[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const f of findings) {
    lines.push(
      [f.severity, f.status, f.layer, f.checkId, f.checkTitle, f.resource.apiVersion, f.resource.kind, f.resource.namespace, f.resource.name, f.container, f.path, f.message, f.isNew, f.fingerprint, f.exceptionId]
        .map(csvCell)
        .join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}
