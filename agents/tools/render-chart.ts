/**
 * Renders agents/chart into plain manifests (agents/deploy/ramparts-agent.yaml) with the Go
 * template subset in go-template.ts, the way `helm template` would (Helm is not available on
 * this machine; see docs/agent.md, "Why agents/deploy is rendered by our own tool").
 * Run: npx tsx agents/tools/render-chart.ts [--check]
 */
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { TemplateSet, type RenderContext } from "./go-template";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const CHART_DIR = path.resolve(HERE, "../chart");
export const DEPLOY_FILE = path.resolve(HERE, "../deploy/ramparts-agent.yaml");

export interface RenderOptions {
  releaseName?: string;
  namespace?: string;
  /** Deep-merged over values.yaml, like `helm --set`/`-f`. */
  values?: Record<string, unknown>;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isPlainObject(v) && isPlainObject(out[k]) ? merge(out[k] as Record<string, unknown>, v) : v;
  return out;
}

/** Helm's install order (pkg/releaseutil/kind_sorter.go): namespaces before what lives in them. */
const INSTALL_ORDER = ["Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService"];

function kindRank(doc: string): number {
  const kind = /^kind:\s*(\S+)/m.exec(doc)?.[1] ?? "";
  const rank = INSTALL_ORDER.indexOf(kind);
  return rank === -1 ? INSTALL_ORDER.length : rank;
}

/** Returns the multi-document YAML `helm template` would print. */
export function renderChart(options: RenderOptions = {}): string {
  const chart = parseYaml(readFileSync(path.join(CHART_DIR, "Chart.yaml"), "utf8")) as { name: string; version: string; appVersion: string };
  const defaults = parseYaml(readFileSync(path.join(CHART_DIR, "values.yaml"), "utf8")) as Record<string, unknown>;
  const set = new TemplateSet();
  const files = readdirSync(path.join(CHART_DIR, "templates")).sort();
  for (const file of files) set.add(file, readFileSync(path.join(CHART_DIR, "templates", file), "utf8"));
  const context: RenderContext = {
    Values: merge(defaults, options.values ?? {}),
    Release: { Name: options.releaseName ?? "ramparts-agent", Namespace: options.namespace ?? "ramparts", Service: "Helm" },
    Chart: { Name: chart.name, Version: chart.version, AppVersion: String(chart.appVersion) },
  };
  const docs: string[] = [];
  for (const file of files.filter((f) => !f.startsWith("_") && /\.ya?ml$/.test(f))) {
    const rendered = set.render(file, context);
    // Helm splits a template's output on document separators and drops empty documents.
    for (const doc of rendered.split(/^---\s*$/m)) {
      if (doc.replace(/#.*$/gm, "").trim() === "") continue;
      docs.push(`---\n# Source: ${chart.name}/templates/${file}\n${doc.replace(/^\n+/, "").replace(/\s+$/, "")}\n`);
    }
  }
  // Stable sort: file order within one kind, like Helm.
  return docs
    .map((doc, i) => ({ doc, i, rank: kindRank(doc) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i)
    .map((d) => d.doc)
    .join("");
}

/** The plain manifests we publish: default values, plus the namespace with Pod Security labels. */
export function renderDeployManifests(): string {
  const header = "# Rendered from agents/chart by agents/tools/render-chart.ts: do not edit.\n# Create the token Secret first: kubectl -n ramparts create secret generic ramparts-agent-token --from-literal=token=<token>\n";
  return header + renderChart({ values: { namespace: { create: true } } });
}

function main(): void {
  const fresh = renderDeployManifests();
  if (process.argv.includes("--check")) {
    let committed = "";
    try {
      committed = readFileSync(DEPLOY_FILE, "utf8");
    } catch {
      // missing counts as stale
    }
    if (committed !== fresh) {
      console.error(`${DEPLOY_FILE} is stale: run npx tsx agents/tools/render-chart.ts`);
      process.exit(1);
    }
    return;
  }
  mkdirSync(path.dirname(DEPLOY_FILE), { recursive: true });
  writeFileSync(DEPLOY_FILE, fresh);
  console.log(`wrote ${DEPLOY_FILE}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
