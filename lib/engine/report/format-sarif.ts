/**
 * SARIF 2.1.0 output (`ramparts scan --format sarif`), for GitHub code scanning and
 * other SARIF viewers: one rule per evaluated check (title, why, the remediation guide
 * as help Markdown, severity), one result per finding with the file and the line of
 * the failing field when the scan read files, and the resource as a logical location.
 * Excepted findings carry a suppression; unknown results are "review" results, never failures.
 */
import type { Finding, Report } from "@/lib/engine/report/report-types";
import type { Check, Severity } from "@/lib/engine/model/check";
import { layerInfo } from "@/lib/engine/model/layers";
import type { FindingLocation } from "@/lib/engine/report/finding-locations";
import { resourceLabel } from "@/lib/engine/report/describe-finding";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
/**
 * Where each check's guide is published: `${CHECK_DOCS_URL}/<check-id>`, the hosted app's public
 * catalog (app/checks/[checkId]; a self-hosted app serves the same pages under its own URL).
 */
export const CHECK_DOCS_URL = "https://ramparts.dev/checks";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { critical: "error", high: "error", medium: "warning", low: "note" };
/** GitHub code scanning reads `security-severity` (0-10) to rank security alerts. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

export interface SarifOptions {
  /** Checks by id (the registry), for the rules' descriptions and guides. */
  checkById: (id: string) => Check | undefined;
  /** Parallel to report.findings: where each finding's field is (manifest scans). */
  locations?: readonly (FindingLocation | undefined)[];
  /** Turns a source file name into an artifact URI (relative to the repository root when possible). */
  artifactUri?: (file: string) => string;
  toolVersion?: string;
}

// Loose types for the parts of SARIF this writer produces.
type Json = Record<string, unknown>;

export function formatSarif(report: Report, options: SarifOptions): Json {
  const uri = options.artifactUri ?? ((f: string) => f);
  const ruleIndex = new Map<string, number>();
  const rules = report.checks.map((summary, i) => {
    ruleIndex.set(summary.id, i);
    const check = options.checkById(summary.id);
    const refs = summary.references;
    const refLines = [
      refs.cis.length ? `CIS Kubernetes Benchmark ${refs.cis.join(", ")}` : "",
      refs.nsa.length ? `NSA/CISA Kubernetes Hardening Guide: ${refs.nsa.join("; ")}` : "",
      refs.kubescape.length ? `Kubescape ${refs.kubescape.join(", ")}` : "",
      refs.polaris.length ? `Polaris ${refs.polaris.join(", ")}` : "",
    ].filter((l) => l !== "");
    const why = check?.why ?? summary.title;
    const guide = check?.guide.trim() ?? "";
    const markdown = [`**${summary.title}** (${summary.severity}, layer ${summary.layer}: ${layerInfo(summary.layer).name})`, why, guide, refLines.length ? `## References\n\n${refLines.map((l) => `- ${l}`).join("\n")}` : ""]
      .filter((p) => p !== "")
      .join("\n\n");
    return {
      id: summary.id,
      name: pascalCase(summary.id),
      shortDescription: { text: summary.title },
      fullDescription: { text: why },
      helpUri: `${CHECK_DOCS_URL}/${summary.id}`,
      help: { text: `${summary.title}. ${why} See ${CHECK_DOCS_URL}/${summary.id}`, markdown },
      defaultConfiguration: { level: LEVEL[summary.severity] },
      properties: {
        tags: ["security", "kubernetes", `layer-${summary.layer}`, summary.scope, ...refs.cis.map((c) => `CIS-${c}`), ...refs.kubescape],
        precision: "high",
        "security-severity": SECURITY_SEVERITY[summary.severity],
        severity: summary.severity,
        layer: summary.layer,
      },
    };
  });

  const results = report.findings.map((f, i) => {
    const loc = options.locations?.[i];
    const result: Json = {
      ruleId: f.checkId,
      ruleIndex: ruleIndex.get(f.checkId) ?? -1,
      kind: f.status === "unknown" ? "review" : "fail",
      level: f.status === "unknown" ? "note" : LEVEL[f.severity],
      message: { text: messageOf(f) },
      locations: [locationOf(f, loc, uri)],
      partialFingerprints: { "rampartsFinding/v1": f.fingerprint },
      properties: {
        status: f.status,
        severity: f.severity,
        resource: f.resource,
        ...(f.container !== null ? { container: f.container } : {}),
        ...(f.path !== null ? { path: f.path } : {}),
      },
    };
    if (result.ruleIndex === -1) delete result.ruleIndex;
    if (f.status === "excepted" && f.exception) {
      const e = f.exception;
      result.suppressions = [
        e.source === "annotation"
          ? { kind: "inSource", justification: `ramparts.dev/exempt annotation on the ${e.on}` }
          : { kind: "external", justification: `${e.reason}${e.expiresAt ? ` (until ${e.expiresAt})` : ""}` },
      ];
    }
    return result;
  });

  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "Ramparts",
            informationUri: CHECK_DOCS_URL,
            ...(options.toolVersion ? { version: options.toolVersion, semanticVersion: options.toolVersion } : {}),
            rules,
          },
        },
        automationDetails: { id: `ramparts/${report.target.name ?? "scan"}/` },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.generatedAt }],
        results,
        properties: {
          score: report.score,
          grade: report.grade,
          cappedBy: report.cappedBy,
          coverage: report.coverage.ratio,
          layers: report.layers.map((l) => ({ id: l.id, name: l.name, score: l.score, grade: l.grade })),
        },
      },
    ],
  };
}

function messageOf(f: Finding): string {
  const who = `${resourceLabel(f)}${f.container ? ` container ${f.container}` : ""}`;
  return `${who}: ${f.message}${f.path ? ` (${f.path})` : ""}`;
}

function locationOf(f: Finding, loc: FindingLocation | undefined, uri: (file: string) => string): Json {
  const r = f.resource;
  const logical = {
    logicalLocations: [
      {
        name: r.name,
        fullyQualifiedName: [r.namespace, r.kind, r.name].filter((p) => p !== undefined).join("/") + (f.path ? `.${f.path}` : ""),
        kind: "resource",
      },
    ],
  };
  if (loc && loc.file !== "<stdin>") {
    return { physicalLocation: { artifactLocation: { uri: uri(loc.file) }, region: { startLine: loc.line, startColumn: loc.column } }, ...logical };
  }
  if (f.source && f.source.file !== "<stdin>") {
    return { physicalLocation: { artifactLocation: { uri: uri(f.source.file) }, ...(f.source.line !== undefined ? { region: { startLine: f.source.line } } : {}) }, ...logical };
  }
  return logical;
}

function pascalCase(id: string): string {
  return id.split("-").map((w) => (w === "" ? "" : w[0]!.toUpperCase() + w.slice(1))).join("");
}
