/**
 * docs/checks-catalog.md, generated from the check registry: every check with its id,
 * layer, severity, title, scope, why it matters, the lists it reads and its references.
 * Regenerate with `npm run docs:checks`; a test fails when the file is stale.
 */
import type { Check } from "@/lib/engine/model/check";
import { SEVERITIES } from "@/lib/engine/model/check";
import { LAYERS } from "@/lib/engine/model/layers";

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ");
}

function refs(values: readonly string[] | undefined, separator = ", "): string {
  return values && values.length > 0 ? values.map(cell).join(separator) : "–";
}

export function catalogMarkdown(checks: readonly Check[]): string {
  const sorted = [...checks].sort((a, b) => a.layer - b.layer || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out: string[] = [];
  out.push("# Check catalog");
  out.push("");
  out.push("<!-- Generated from the registry (lib/engine/checks) by `npm run docs:checks`. Do not edit by hand. -->");
  out.push("");
  out.push(`${sorted.length} checks across the six defense-in-depth layers. How a check is written: [checks.md](checks.md); how results become scores: [scoring.md](scoring.md). Each check's remediation guide (a fix to paste and the admission policy that prevents a regression) is in its source file and in the SARIF output.`);
  out.push("");
  out.push("| Layer | Checks | critical | high | medium | low |");
  out.push("|---|---:|---:|---:|---:|---:|");
  for (const layer of LAYERS) {
    const inLayer = sorted.filter((c) => c.layer === layer.id);
    out.push(`| [${layer.id}. ${layer.name}](#layer-${layer.id}) | ${inLayer.length} | ${SEVERITIES.map((s) => inLayer.filter((c) => c.severity === s).length).join(" | ")} |`);
  }
  out.push(`| **Total** | **${sorted.length}** | ${SEVERITIES.map((s) => `**${sorted.filter((c) => c.severity === s).length}**`).join(" | ")} |`);
  for (const layer of LAYERS) {
    const inLayer = sorted.filter((c) => c.layer === layer.id);
    out.push("");
    out.push(`<a id="layer-${layer.id}"></a>`);
    out.push("");
    out.push(`## Layer ${layer.id}: ${layer.name}`);
    out.push("");
    if (inLayer.length === 0) {
      out.push("No checks yet.");
      continue;
    }
    out.push("| Id | Severity | Title | Scope | CIS | NSA/CISA | Kubescape | Polaris |");
    out.push("|---|---|---|---|---|---|---|---|");
    for (const c of inLayer) {
      out.push(`| [\`${c.id}\`](#${c.id}) | ${c.severity} | ${cell(c.title)} | ${c.scope} | ${refs(c.references.cis)} | ${refs(c.references.nsa, "; ")} | ${refs(c.references.kubescape)} | ${refs(c.references.polaris)} |`);
    }
    for (const c of inLayer) {
      out.push("");
      out.push(`### ${c.id}`);
      out.push("");
      out.push(`**${c.title}**. Severity ${c.severity}, scope ${c.scope}, layer ${c.layer}.`);
      out.push("");
      out.push(c.why.trim().replace(/\s*\n\s*/g, " "));
      out.push("");
      const reads = c.needs.map((n) => `\`${n.group === "" ? n.resource : `${n.resource}.${n.group}`}\`${n.optional ? " (optional)" : ""}`).join(", ");
      out.push(`Reads: ${reads}.`);
      const lines = [
        c.references.cis?.length ? `CIS Kubernetes Benchmark ${c.references.cis.join(", ")}` : "",
        c.references.nsa?.length ? `NSA/CISA Kubernetes Hardening Guide: ${c.references.nsa.join("; ")}` : "",
        c.references.kubescape?.length ? `Kubescape ${c.references.kubescape.join(", ")}` : "",
        c.references.polaris?.length ? `Polaris ${c.references.polaris.join(", ")}` : "",
      ].filter((l) => l !== "");
      if (lines.length > 0) {
        out.push("");
        out.push(`References: ${lines.join(". ")}.`);
      }
    }
  }
  return `${out.join("\n")}\n`;
}
