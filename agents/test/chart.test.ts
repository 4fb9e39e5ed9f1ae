/**
 * The chart (agents/chart) and the plain manifests rendered from it (agents/deploy): read-only
 * least-privilege RBAC, a hardened CronJob, and the options users need. Rendering uses our Go
 * template subset (agents/tools/go-template.ts) because Helm cannot be installed here.
 */
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { RESOURCE_CATALOG } from "../src/collect/resource-catalog";
import { TemplateError, TemplateSet } from "../tools/go-template";
import { DEPLOY_FILE, renderChart, renderDeployManifests } from "../tools/render-chart";

type Doc = { kind: string; metadata: { name: string; namespace?: string }; [k: string]: unknown };
type Rule = { apiGroups?: string[]; resources?: string[]; verbs: string[]; resourceNames?: string[]; nonResourceURLs?: string[] };

function docs(text: string): Doc[] {
  return parseAllDocuments(text).map((d) => d.toJS() as Doc).filter(Boolean);
}

const byKind = (all: Doc[], kind: string) => all.filter((d) => d.kind === kind);

function podSpec(all: Doc[]) {
  const cron = byKind(all, "CronJob")[0] as unknown as { spec: { schedule: string; jobTemplate: { spec: { activeDeadlineSeconds: number; template: { spec: Record<string, unknown> } } } } };
  return { cron, pod: cron.spec.jobTemplate.spec.template.spec as { securityContext: Record<string, unknown>; containers: Array<Record<string, unknown>>; volumes: Array<Record<string, unknown>>; automountServiceAccountToken: boolean } };
}

function env(container: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries((container.env as Array<{ name: string; value: string }>).map((e) => [e.name, e.value]));
}

const VALUE_SETS: Array<Record<string, unknown>> = [
  {},
  { namespace: { create: true } },
  { namedConfigMaps: [{ namespace: "kube-system", names: ["cilium-config"] }, { namespace: "istio-system", names: ["istio"] }], proxy: { https: "http://proxy.corp:3128", noProxy: "10.0.0.0/8" }, caBundle: { configMap: "corp-ca", key: "ca.pem" } },
  { gatekeeperConstraints: ["k8smycustomconstraint"], image: { digest: `sha256:${"a".repeat(64)}` }, schedule: "15 3 * * *" },
];

describe("agents/deploy", () => {
  it("is the chart rendered with default values (run `npx tsx agents/tools/render-chart.ts` when this fails)", () => {
    expect(readFileSync(DEPLOY_FILE, "utf8")).toBe(renderDeployManifests());
  });

  it("lists the Namespace first, so `kubectl apply -f` works on an empty cluster", () => {
    expect(docs(readFileSync(DEPLOY_FILE, "utf8"))[0]?.kind).toBe("Namespace");
  });
});

describe("RBAC is read-only and least-privilege", () => {
  it.each(VALUE_SETS.map((v, i) => [i, v]))("value set %i: only get/list, no wildcards, no Secrets, no ConfigMaps cluster-wide, no subresources", (_i, values) => {
    const all = docs(renderChart({ values }));
    const clusterRoles = byKind(all, "ClusterRole");
    expect(clusterRoles).toHaveLength(1);
    const rules = (clusterRoles[0] as unknown as { rules: Rule[] }).rules;
    expect(rules.length).toBeGreaterThan(10);
    for (const rule of rules) {
      expect(rule.verbs.every((v) => v === "get" || v === "list"), JSON.stringify(rule)).toBe(true);
      expect(rule.nonResourceURLs).toBeUndefined();
      for (const field of [rule.apiGroups, rule.resources, rule.verbs, rule.resourceNames ?? []]) expect(field?.some((x) => x.includes("*")), JSON.stringify(rule)).toBe(false);
      expect(rule.resources?.some((r) => r === "secrets" || r === "configmaps" || r.includes("/")), JSON.stringify(rule)).toBe(false);
    }
    const roles = byKind(all, "Role") as unknown as Array<{ metadata: { namespace: string }; rules: Rule[] }>;
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) {
      for (const rule of role.rules) {
        expect(rule).toMatchObject({ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] });
        expect(rule.resourceNames?.length).toBeGreaterThan(0);
      }
    }
    // The agent reads exactly the ConfigMaps the Roles allow.
    const allowed = roles.flatMap((r) => (r.rules[0]?.resourceNames ?? []).map((n) => `${r.metadata.namespace}/${n}`)).sort();
    const { pod } = podSpec(all);
    const named = env(pod.containers[0] as Record<string, unknown>).RAMPARTS_NAMED_CONFIGMAPS?.split(",").filter(Boolean).sort();
    expect(named).toEqual(allowed);
    // Nothing binds more than the agent's own roles.
    for (const binding of [...byKind(all, "ClusterRoleBinding"), ...byKind(all, "RoleBinding")] as unknown as Array<{ roleRef: { name: string } }>) {
      expect(binding.roleRef.name).toMatch(/^ramparts-agent(-configmaps)?$/);
    }
  });

  it("grants exactly what the collection catalog lists (plus the configured Gatekeeper kinds)", () => {
    const all = docs(renderChart());
    const rules = (byKind(all, "ClusterRole")[0] as unknown as { rules: Rule[] }).rules;
    const granted = new Set(rules.flatMap((r) => (r.apiGroups ?? []).flatMap((g) => (r.resources ?? []).map((res) => `${g}/${res}`))));
    const values = readFileSync(new URL("../chart/values.yaml", import.meta.url), "utf8");
    const constraints = [...values.matchAll(/^  - (k8s[a-z0-9]+)$/gm)].map((m) => `constraints.gatekeeper.sh/${m[1]}`);
    const wanted = new Set([...RESOURCE_CATALOG.map((e) => `${e.group}/${e.resource}`), ...constraints]);
    // Calico's rule names both groups; catalog lists each.
    expect([...wanted].filter((w) => !granted.has(w))).toEqual([]);
    expect([...granted].filter((g) => !wanted.has(g))).toEqual([]);
  });
});

describe("the CronJob", () => {
  it("runs with the restricted Pod Security profile, bounded resources and the token from the user's Secret", () => {
    const all = docs(renderChart());
    const { cron, pod } = podSpec(all);
    const container = pod.containers[0] as Record<string, unknown> & { securityContext: Record<string, unknown>; resources: { requests: Record<string, string>; limits: Record<string, string> } };
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
    expect(Number(container.securityContext.runAsUser)).toBeGreaterThan(0);
    expect(container.resources.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources.limits).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(pod.automountServiceAccountToken).toBe(false);
    const tokenVolume = pod.volumes.find((v) => v.name === "ramparts-token") as { secret: { secretName: string } };
    expect(tokenVolume.secret.secretName).toBe("ramparts-agent-token");
    expect(env(container).RAMPARTS_TOKEN_FILE).toBe("/var/run/ramparts/token/token");
    expect(JSON.stringify(all)).not.toMatch(/kind":"Secret"/);
    expect(cron.spec.jobTemplate.spec.activeDeadlineSeconds).toBeGreaterThan(0);
    expect((cron.spec as unknown as { concurrencyPolicy: string }).concurrencyPolicy).toBe("Forbid");
    const ns = byKind(docs(renderDeployManifests()), "Namespace")[0] as unknown as { metadata: { labels: Record<string, string> } };
    expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
  });

  it("gets a schedule minute that differs between installs, unless one is set", () => {
    const minutes = new Set(["a", "b", "c", "d", "e", "f", "g", "h"].map((name) => podSpec(docs(renderChart({ releaseName: name, namespace: "ramparts" }))).cron.spec.schedule));
    expect(minutes.size).toBeGreaterThan(3);
    for (const schedule of minutes) expect(schedule).toMatch(/^([0-9]|[1-5][0-9]) \*\/6 \* \* \*$/);
    expect(podSpec(docs(renderChart({ values: { schedule: "15 3 * * *" } }))).cron.spec.schedule).toBe("15 3 * * *");
  });

  it("supports an HTTPS proxy and a custom CA bundle", () => {
    const { pod } = podSpec(docs(renderChart({ values: VALUE_SETS[2] })));
    const container = pod.containers[0] as Record<string, unknown> & { volumeMounts: Array<{ name: string; mountPath: string }> };
    expect(env(container)).toMatchObject({ HTTPS_PROXY: "http://proxy.corp:3128", NO_PROXY: "10.0.0.0/8", RAMPARTS_CA_BUNDLE_FILE: "/etc/ramparts/ca/ca.pem" });
    expect(pod.volumes.find((v) => v.name === "ca-bundle")).toMatchObject({ configMap: { name: "corp-ca" } });
    expect(container.volumeMounts.find((m) => m.name === "ca-bundle")?.mountPath).toBe("/etc/ramparts/ca");
    const plain = podSpec(docs(renderChart())).pod.containers[0] as Record<string, unknown>;
    expect(env(plain).HTTPS_PROXY).toBeUndefined();
  });

  it("pins the image by digest when one is given", () => {
    const { pod } = podSpec(docs(renderChart({ values: VALUE_SETS[3] })));
    expect(pod.containers[0]?.image).toBe(`ghcr.io/ramparts/agent@sha256:${"a".repeat(64)}`);
  });

  it("refuses to render without a server URL", () => {
    expect(() => renderChart({ values: { server: { url: "" } } })).toThrow(/server.url is required/);
  });
});

describe("Go template subset", () => {
  function render(source: string, values: Record<string, unknown> = {}, defines = "") {
    const set = new TemplateSet();
    set.add("_helpers.tpl", defines);
    set.add("t.yaml", source);
    return set.render("t.yaml", { Values: values, Release: { Name: "r", Namespace: "n" }, Chart: { Name: "c", Version: "1", AppVersion: "2" } });
  }

  it("trims whitespace, branches, ranges and includes like Go templates", () => {
    expect(render("a  {{- 1 -}}  b")).toBe("a1b");
    expect(render("{{ if .Values.x }}yes{{ else if .Values.y }}y{{ else }}no{{ end }}", { y: 1 })).toBe("y");
    expect(render("{{ range $i, $v := .Values.l }}{{ $i }}={{ $v }};{{ end }}", { l: ["a", "b"] })).toBe("0=a;1=b;");
    expect(render("{{ range .Values.l }}[{{ . }}]{{ else }}none{{ end }}", { l: [] })).toBe("none");
    expect(render('x:{{- include "h" . | nindent 2 }}', {}, '{{- define "h" -}}k: {{ .Release.Name | quote }}{{- end -}}')).toBe('x:\n  k: "r"');
    expect(render("{{- toYaml .Values.m | nindent 2 }}", { m: { b: 1, a: [1, 2] } })).toBe("\n  a:\n    - 1\n    - 2\n  b: 1");
    expect(render("{{ .Values.t | default .Chart.AppVersion }}", { t: "" })).toBe("2");
    expect(render('{{ mod (adler32sum "Wikipedia") 1000 }}')).toBe(String(0x11e60398 % 1000));
  });

  it("fails on what it does not support instead of guessing", () => {
    expect(() => render("{{ sha256sum .Values.x }}")).toThrow(TemplateError);
    expect(() => render("{{ if .Values.x }}open")).toThrow(/missing \{\{ end \}\}/);
    expect(() => render('{{ required "need x" .Values.x }}')).toThrow(/need x/);
  });
});
