/**
 * Findings as SARIF 2.1.0, for code-scanning tools: one rule per check (with its guide as help),
 * one result per finding, located logically (the Kubernetes resource, and the field path as a
 * property, since a live cluster has no file to point at). Excepted findings carry a suppression.
 */
import { checkById } from "@/lib/engine/checks/registry";
import type { FindingView } from "./finding-view";

const LEVEL = { CRITICAL: "error", HIGH: "error", MEDIUM: "warning", LOW: "note" } as const;
const SECURITY_SEVERITY = { CRITICAL: "9.5", HIGH: "7.5", MEDIUM: "5.0", LOW: "2.5" } as const;

export interface SarifContext {
  toolVersion: string;
  informationUri: string;
  cluster: { id: string; name: string };
  snapshot: { id: string; collectedAt: Date | null };
}

function resourceName(f: FindingView): string {
  return [f.resource.namespace, f.resource.kind, f.resource.name].filter(Boolean).join("/");
}

export function findingsToSarif(findings: readonly FindingView[], ctx: SarifContext): object {
  const ruleIds = [...new Set(findings.map((f) => f.checkId))].sort();
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
  const rules = ruleIds.map((id) => {
    const check = checkById(id);
    const severity = (findings.find((f) => f.checkId === id)?.severity ?? "MEDIUM") as keyof typeof LEVEL;
    return {
      id,
      name: id,
      shortDescription: { text: check?.title ?? id },
      fullDescription: { text: check?.why ?? check?.title ?? id },
      // The app's public catalog page for the check (app/checks/[checkId]).
      helpUri: `${ctx.informationUri.replace(/\/$/, "")}/checks/${id}`,
      help: { text: check?.guide ?? "", markdown: check?.guide ?? "" },
      defaultConfiguration: { level: LEVEL[severity] },
      properties: { tags: ["security", "kubernetes", `layer-${check?.layer ?? "?"}`], "security-severity": SECURITY_SEVERITY[severity] },
    };
  });
  const results = findings.map((f) => ({
    ruleId: f.checkId,
    ruleIndex: ruleIndex.get(f.checkId),
    level: f.status === "UNKNOWN" ? "note" : LEVEL[f.severity],
    kind: f.status === "UNKNOWN" ? "review" : "fail",
    message: { text: `${resourceName(f)}${f.container ? ` (container ${f.container})` : ""}: ${f.message}` },
    locations: [
      {
        logicalLocations: [{ name: f.resource.name, fullyQualifiedName: `${ctx.cluster.name}/${resourceName(f)}${f.path ? `#${f.path}` : ""}`, kind: "resource" }],
        properties: { apiVersion: f.resource.apiVersion, kind: f.resource.kind, namespace: f.resource.namespace, container: f.container, path: f.path },
      },
    ],
    partialFingerprints: { rampartsFingerprint: f.fingerprint },
    ...(f.status === "EXCEPTED" ? { suppressions: [{ kind: "external", justification: f.exceptionId ? `exception ${f.exceptionId}` : "ramparts.dev/exempt annotation" }] } : {}),
    properties: { severity: f.severity, status: f.status, layer: f.layer, new: f.isNew },
  }));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "Ramparts", version: ctx.toolVersion, informationUri: ctx.informationUri, rules } },
        automationDetails: { id: `ramparts/${ctx.cluster.name}/${ctx.snapshot.id}` },
        properties: { clusterId: ctx.cluster.id, clusterName: ctx.cluster.name, snapshotId: ctx.snapshot.id, collectedAt: ctx.snapshot.collectedAt?.toISOString() ?? null },
        results,
      },
    ],
  };
}
