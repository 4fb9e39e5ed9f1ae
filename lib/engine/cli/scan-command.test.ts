import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { spawnSync } from "node:child_process";
import { scanCommand } from "@/lib/engine/cli/scan-command";
import type { Report } from "@/lib/engine/report/report-types";

// A small manifest with known failures on stable checks, at known lines.
const APP = [
  "apiVersion: apps/v1", // 1
  "kind: Deployment",
  "metadata: {name: web, namespace: shop}",
  "spec:",
  "  template:", // 5
  "    spec:",
  "      containers:",
  "        - name: app",
  "          image: nginx:1.27",
  "          securityContext: {privileged: true}", // 10
  "        - name: sidecar",
  "          image: envoy:1.31 | pipe",
  "---",
  "apiVersion: v1",
  "kind: Pod", // 15
  "metadata: {name: probe, namespace: kube-system}",
  "spec:",
  "  hostPID: true",
  "  containers: [{name: c, image: busybox:1.36}]",
].join("\n");

let dir: string;
const file = (name: string) => path.join(dir, name);
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ramparts-scan-"));
  await writeFile(file("app.yaml"), `${APP}\n`);
  await writeFile(file("bad.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [x\n");
  await writeFile(file("values.yaml"), "replicaCount: 2\n");
  await writeFile(
    file("exceptions.yaml"),
    "exceptions:\n  - id: web-privileged\n    checkId: privileged-container\n    namespace: shop\n    name: web\n    reason: vendor image needs it until 2027\n    expiresAt: 2027-01-01T00:00:00Z\n",
  );
  await writeFile(file("bad-exceptions.yaml"), "- checkId: privileged-container\n  namespace: shop\n- checkId: run-as-root\n  reason: ok\n  expires: tomorrow\n");
  await writeFile(file("typo-exceptions.json"), JSON.stringify([{ checkId: "privilegd-container", reason: "typo" }], null, 2));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function scan(argv: string[], stdin?: string, extra: { color?: boolean } = {}) {
  let out = "";
  let err = "";
  const code = await scanCommand(argv, {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    stdin: stdin === undefined ? undefined : Readable.from([stdin]),
    now: () => new Date("2026-11-01T00:00:00Z"),
    cwd: dir,
    version: "9.9.9",
    ...extra,
  });
  return { code, out, err };
}

const lineOf = (text: string, n: number) => text.split("\n")[n - 1] ?? "";

describe("scan command: json", () => {
  it("prints the JSON report of a file", async () => {
    const { code, out, err } = await scan([file("app.yaml"), "--format", "json"]);
    expect(err).toBe("");
    expect(code).toBe(0);
    const report = JSON.parse(out) as Report;
    expect(report.generatedAt).toBe("2026-11-01T00:00:00.000Z");
    expect(report.findings.find((f) => f.checkId === "privileged-container")).toMatchObject({
      status: "fail",
      resource: { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "web" },
      container: "app",
      path: "spec.template.spec.containers[0].securityContext.privileged",
      source: { file: file("app.yaml"), line: 1 },
    });
    expect(report.layers).toHaveLength(6);
    expect(report.grade).toBe("F");
  });

  it("is the default format, and reads stdin with '-'", async () => {
    const { code, out } = await scan(["-"], "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  hostPID: true\n  containers: [{name: c, image: x}]\n");
    expect(code).toBe(0);
    expect((JSON.parse(out) as Report).findings.some((f) => f.checkId === "host-namespaces" && f.path === "spec.hostPID")).toBe(true);
  });
});

describe("scan command: table", () => {
  it("summarizes score, grade, layers, coverage and the top findings with their field and line", async () => {
    const { code, out } = await scan([file("app.yaml"), "--format", "table"]);
    expect(code).toBe(0);
    const report = JSON.parse((await scan([file("app.yaml")])).out) as Report;
    expect(out).toContain(`Score     ${report.score}/100  ${report.grade}`);
    expect(out).toMatch(/Coverage {2}\d+(\.\d)?%/);
    for (const l of report.layers) expect(out).toContain(`${l.id} ${l.name}`);
    expect(out).toContain("CRITICAL  privileged-container  Deployment shop/web [app]");
    // The line of the failing field, not of the object.
    expect(out).toContain(`spec.template.spec.containers[0].securityContext.privileged  (${file("app.yaml")}:10)`);
    expect(out).not.toContain("\x1b[");
    // Most severe first.
    expect(out.indexOf("CRITICAL")).toBeLessThan(out.indexOf("HIGH"));
  });

  it("colors only when asked, and honors --top", async () => {
    expect((await scan([file("app.yaml"), "--format", "table"], undefined, { color: true })).out).toContain("\x1b[");
    const { out } = await scan([file("app.yaml"), "--format", "table", "--top", "1"]);
    expect(out.match(/^ {2}(CRITICAL|HIGH|MEDIUM|LOW) /gm)).toHaveLength(1);
    expect(out).toMatch(/\.\.\. \d+ more/);
  });
});

interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: string;
  kind: string;
  message: { text: string };
  locations: { physicalLocation?: { artifactLocation: { uri: string }; region?: { startLine: number; startColumn?: number } }; logicalLocations: { fullyQualifiedName: string }[] }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string; justification: string }[];
  properties: { path?: string; container?: string; status: string };
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: { tool: { driver: { name: string; version?: string; rules: { id: string; helpUri: string; help: { markdown: string; text: string }; shortDescription: { text: string }; defaultConfiguration: { level: string }; properties: { "security-severity": string } }[] } }; results: SarifResult[] }[];
}

describe("scan command: sarif", () => {
  it("writes a structurally valid SARIF 2.1.0 log with rules from the catalog", async () => {
    const { code, out } = await scan([file("app.yaml"), "--format", "sarif"]);
    expect(code).toBe(0);
    const sarif = JSON.parse(out) as SarifLog;
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    expect(sarif.runs).toHaveLength(1);
    const { driver } = sarif.runs[0]!.tool;
    expect(driver.name).toBe("Ramparts");
    expect(driver.version).toBe("9.9.9");
    const report = JSON.parse((await scan([file("app.yaml")])).out) as Report;
    expect(driver.rules.map((r) => r.id)).toEqual(report.checks.map((c) => c.id));
    for (const rule of driver.rules) {
      expect(rule.helpUri).toMatch(new RegExp(`^https://[^ ]+/${rule.id}$`));
      expect(rule.help.markdown).toContain("## Fix");
      expect(rule.shortDescription.text.length).toBeGreaterThan(5);
      expect(["error", "warning", "note"]).toContain(rule.defaultConfiguration.level);
      expect(Number(rule.properties["security-severity"])).toBeGreaterThan(0);
    }
    const results = sarif.runs[0]!.results;
    expect(results).toHaveLength(report.findings.length);
    for (const r of results) {
      expect(driver.rules[r.ruleIndex!]!.id).toBe(r.ruleId);
      expect(["error", "warning", "note"]).toContain(r.level);
      expect(r.message.text.length).toBeGreaterThan(0);
      expect(r.locations).toHaveLength(1);
      expect(r.partialFingerprints["rampartsFinding/v1"]).toMatch(/^[0-9a-f]{28}$/);
    }
  });

  it("points each result at the file and the line of the failing field", async () => {
    const sarif = JSON.parse((await scan([file("app.yaml"), "--format", "sarif"])).out) as SarifLog;
    const results = sarif.runs[0]!.results;
    const privileged = results.find((r) => r.ruleId === "privileged-container")!;
    expect(privileged.level).toBe("error");
    const loc = privileged.locations[0]!.physicalLocation!;
    expect(loc.artifactLocation.uri).toBe("app.yaml"); // relative to the working directory
    expect(loc.region!.startLine).toBe(10);
    expect(lineOf(APP, loc.region!.startLine)).toContain("privileged: true");
    expect(privileged.locations[0]!.logicalLocations[0]!.fullyQualifiedName).toBe("shop/Deployment/web.spec.template.spec.containers[0].securityContext.privileged");
    // An absent field points where the fix goes: its nearest existing parent (the container).
    const root = results.find((r) => r.ruleId === "run-as-root" && r.properties.container === "sidecar")!;
    expect(root.properties.path).toBe("spec.template.spec.securityContext.runAsNonRoot");
    expect(lineOf(APP, root.locations[0]!.physicalLocation!.region!.startLine)).toContain("    spec:");
    // A pod in a skipped namespace has no result; its second document is located too when it has one.
    expect(results.some((r) => r.message.text.includes("kube-system/probe"))).toBe(false);
  });

  it("marks excepted findings as suppressed and keeps them", async () => {
    const sarif = JSON.parse((await scan([file("app.yaml"), "--format", "sarif", "--exceptions", file("exceptions.yaml")])).out) as SarifLog;
    const privileged = sarif.runs[0]!.results.find((r) => r.ruleId === "privileged-container")!;
    expect(privileged.properties.status).toBe("excepted");
    expect(privileged.suppressions).toEqual([{ kind: "external", justification: "vendor image needs it until 2027 (until 2027-01-01T00:00:00Z)" }]);
  });

  it("gives stdin results a logical location only", async () => {
    const sarif = JSON.parse((await scan(["-", "--format", "sarif"], APP)).out) as SarifLog;
    const privileged = sarif.runs[0]!.results.find((r) => r.ruleId === "privileged-container")!;
    expect(privileged.locations[0]!.physicalLocation).toBeUndefined();
    expect(privileged.locations[0]!.logicalLocations[0]!.fullyQualifiedName).toContain("shop/Deployment/web");
  });
});

describe("scan command: markdown", () => {
  it("prints a PR-comment report: score, layers, failures by severity with escaped cells", async () => {
    const { code, out } = await scan([file("app.yaml"), "--format", "markdown"]);
    expect(code).toBe(0);
    const report = JSON.parse((await scan([file("app.yaml")])).out) as Report;
    expect(out.split("\n")[0]).toBe(`## 🔴 Ramparts: ${report.score}/100 (${report.grade})`);
    expect(out).toContain("| Layer | Score | Grade | Coverage | Fail | Unknown | Excepted |");
    expect(out).toContain("<details open><summary><b>critical</b> (1)</summary>");
    const row = out.split("\n").find((l) => l.includes("`privileged-container`"))!;
    expect(row).toContain("Deployment shop/web [app]");
    expect(row).toContain(`${file("app.yaml")}:10`);
    expect(row).toContain("`spec.template.spec.containers[0].securityContext.privileged`");
    // A cell with a pipe does not break the table.
    const sidecar = out.split("\n").find((l) => l.includes("[sidecar]") && l.includes("image-digest"));
    if (sidecar) expect(sidecar).toContain("envoy:1.31 \\| pipe");
    expect(out.split("\n").filter((l) => l.startsWith("|") && !l.startsWith("|---")).every((l) => (l.match(/(?<!\\)\|/g) ?? []).length >= 5)).toBe(true);
  });

  it("caps the rows it lists", async () => {
    const { formatMarkdown } = await import("@/lib/engine/report/format-markdown");
    const report = JSON.parse((await scan([file("app.yaml")])).out) as Report;
    const md = formatMarkdown(report, { maxRows: 1 });
    expect(md.split("\n").filter((l) => l.includes("](https://")).length).toBe(1);
    expect(md).toContain("Only the first 1 findings are listed");
  });
});

describe("scan command: options", () => {
  it("--fail-under exits 1 below the score, 0 at or above it", async () => {
    const report = JSON.parse((await scan([file("app.yaml")])).out) as Report;
    const below = await scan([file("app.yaml"), "--fail-under", String(report.score + 1)]);
    expect(below.code).toBe(1);
    expect(below.out).not.toBe(""); // the report is still printed
    expect(below.err).toContain(`score ${report.score} is below --fail-under ${report.score + 1}`);
    expect((await scan([file("app.yaml"), "--fail-under", String(report.score)])).code).toBe(0);
    for (const bad of ["abc", "101", "-5"]) {
      const r = await scan([file("app.yaml"), "--fail-under", bad]);
      expect(r.code, bad).toBe(2);
      expect(r.err).toMatch(/--fail-under/);
    }
  });

  it("--exceptions applies valid rules and rejects invalid files naming file, line and field", async () => {
    const ok = JSON.parse((await scan([file("app.yaml"), "--exceptions", file("exceptions.yaml")])).out) as Report;
    expect(ok.findings.find((f) => f.checkId === "privileged-container")).toMatchObject({ status: "excepted", exception: { source: "rule", id: "web-privileged" } });
    expect(ok.exceptions).toEqual([expect.objectContaining({ id: "web-privileged", state: "active", matched: 1 })]);

    const bad = await scan([file("app.yaml"), "--exceptions", file("bad-exceptions.yaml")]);
    expect(bad.code).toBe(2);
    expect(bad.out).toBe("");
    expect(bad.err).toBe(`ramparts scan: ${file("bad-exceptions.yaml")}:1:3: [0].reason: reason is required\n`);

    const typo = await scan([file("app.yaml"), "--exceptions", file("typo-exceptions.json")]);
    expect(typo.code).toBe(2);
    expect(typo.err).toMatch(/typo-exceptions\.json:3:\d+: \[0\]\.checkId: no check has the id "privilegd-container"/);

    const missing = await scan([file("app.yaml"), "--exceptions", file("nope.yaml")]);
    expect(missing).toMatchObject({ code: 2, err: expect.stringContaining("nope.yaml: no such file or directory") });
  });

  it("--exceptions names unknown fields at their line", async () => {
    await writeFile(file("unknown-field.yaml"), "- checkId: run-as-root\n  reason: ok\n  expires: tomorrow\n");
    const r = await scan([file("app.yaml"), "--exceptions", file("unknown-field.yaml")]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown-field\.yaml:3:3: \[0\]: unknown field expires/);
  });

  it("--allowed-registries turns the registry check on and validates its values", async () => {
    const without = JSON.parse((await scan([file("app.yaml")])).out) as Report;
    const withList = JSON.parse((await scan([file("app.yaml"), "--allowed-registries", "registry.acme.example,ghcr.io/acme", "--allowed-registries", "quay.io"])).out) as Report;
    const registryChecks = (r: Report) => r.findings.filter((f) => f.status === "fail" && /registr/.test(f.checkId));
    expect(registryChecks(without)).toEqual([]);
    expect(registryChecks(withList).length).toBeGreaterThan(0);
    const bad = await scan([file("app.yaml"), "--allowed-registries", "https://registry.acme.example"]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--allowed-registries "https:\/\/registry\.acme\.example": a registry is a host/);
  });

  it("--skip-namespaces replaces the default list", async () => {
    const byDefault = JSON.parse((await scan([file("app.yaml")])).out) as Report;
    expect(byDefault.findings.some((f) => f.resource.namespace === "kube-system")).toBe(false);
    const none = JSON.parse((await scan([file("app.yaml"), "--skip-namespaces", ""])).out) as Report;
    expect(none.findings.some((f) => f.checkId === "host-namespaces" && f.resource.name === "probe")).toBe(true);
    const shop = JSON.parse((await scan([file("app.yaml"), "--skip-namespaces", "shop"])).out) as Report;
    expect(shop.findings.some((f) => f.resource.namespace === "shop" && f.checkId === "privileged-container")).toBe(false);
    expect((await scan([file("app.yaml"), "--skip-namespaces", "Kube_System"])).code).toBe(2);
  });

  it("--output writes the whole report to a file and nothing to stdout", async () => {
    const r = await scan([file("app.yaml"), "--format", "sarif", "--output", file("out.sarif")]);
    expect(r).toMatchObject({ code: 0, out: "" });
    expect((JSON.parse(await readFile(file("out.sarif"), "utf8")) as SarifLog).version).toBe("2.1.0");
    const nowhere = await scan([file("app.yaml"), "--output", path.join(dir, "missing", "r.json")]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.err).toMatch(/missing\/r\.json: cannot write the report: no such directory/);
  });
});

describe("scan command: bad input", () => {
  it("exits 2 naming the file and line of bad input", async () => {
    const { code, out, err } = await scan([file("bad.yaml")]);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toMatch(new RegExp(`^ramparts scan: ${file("bad.yaml").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+: invalid YAML`));
    expect(err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("exits 2 on a missing target, an unknown format, extra arguments, or nothing to scan", async () => {
    expect((await scan([file("nope.yaml")])).err).toMatch(/nope\.yaml: no such file or directory/);
    const format = await scan([file("app.yaml"), "--format", "xml"]);
    expect(format).toMatchObject({ code: 2, err: expect.stringMatching(/^ramparts scan: unknown --format xml \(available: table, json, sarif, markdown\)/) });
    expect((await scan([])).code).toBe(2);
    expect((await scan(["a", "b"])).code).toBe(2);
    expect((await scan(["--bogus", "a"])).code).toBe(2);
    const empty = await scan([file("values.yaml")]);
    expect(empty).toMatchObject({ code: 2, err: expect.stringMatching(/values\.yaml: no Kubernetes objects found/) });
  });
});

describe("entry points", () => {
  it("is wired to `npm run scan`", () => {
    const res = spawnSync("npm", ["run", "-s", "scan", "--", file("bad.yaml")], { encoding: "utf8", cwd: process.cwd() });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/bad\.yaml:\d+:\d+: invalid YAML/);
  });

  it("runs as the package bin: ramparts scan", () => {
    const res = spawnSync(process.execPath, [path.join(process.cwd(), "bin", "ramparts.mjs"), "scan", file("app.yaml"), "--format", "table", "--fail-under", "100"], { encoding: "utf8", cwd: dir });
    expect(res.status).toBe(1);
    expect(res.stdout).toContain("privileged-container");
    expect(res.stderr).toMatch(/is below --fail-under 100/);
    const help = spawnSync(process.execPath, [path.join(process.cwd(), "bin", "ramparts.mjs"), "--help"], { encoding: "utf8", cwd: dir });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("ramparts scan");
  });
});
