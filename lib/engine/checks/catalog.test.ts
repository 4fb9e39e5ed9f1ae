/**
 * The fixture harness: walks the registry and, for every check, verifies its
 * metadata and guide and runs its fixtures. A check without fixtures, a guide or
 * complete metadata cannot land. See docs/checks.md.
 */
import { describe, expect, it } from "vitest";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { ALL_CHECKS } from "@/lib/engine/checks/registry";
import { LAYERS, layerInfo } from "@/lib/engine/model/layers";
import { SEVERITIES, type Check } from "@/lib/engine/model/check";
import { evaluate } from "@/lib/engine/evaluate/evaluate";
import { parseFixture, type Fixture } from "@/lib/engine/checks/fixture-file";
import type { Report } from "@/lib/engine/report/report-types";

const CHECKS_DIR = path.join(import.meta.dirname);
const NOW = "2026-11-01T00:00:00Z";
const SCOPES = ["container", "pod", "workload", "namespace", "rbac", "cluster"];

function fixturePath(check: Check, kind: "pass" | "fail" | "unknown"): string {
  return path.join(CHECKS_DIR, layerInfo(check.layer).folder, `${check.id}.${kind}.yaml`);
}

function loadFixture(file: string): Fixture {
  return parseFixture(readFileSync(file, "utf8"), path.relative(process.cwd(), file));
}

function run(check: Check | readonly Check[], fixture: Fixture): Report {
  return evaluate(fixture.input, { now: NOW, checks: Array.isArray(check) ? check : [check as Check], ...fixture.options });
}

describe("check catalog", () => {
  it("has unique kebab-case ids", () => {
    const ids = ALL_CHECKS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it("registers every check file and every fixture in the layer folders", () => {
    const ids = new Set(ALL_CHECKS.map((c) => c.id));
    for (const layer of LAYERS) {
      const dir = path.join(CHECKS_DIR, layer.folder);
      for (const file of readdirSync(dir)) {
        if (file === "index.ts" || file.endsWith(".test.ts")) continue;
        const id = file.replace(/\.(pass|fail|unknown)\.yaml$/, "").replace(/\.ts$/, "");
        expect(ids.has(id), `${layer.folder}/${file} belongs to no registered check (add it to ${layer.folder}/index.ts)`).toBe(true);
        const check = ALL_CHECKS.find((c) => c.id === id)!;
        expect(check.layer, `${layer.folder}/${file}: check ${id} declares layer ${check.layer}`).toBe(layer.id);
      }
    }
  });

  it("runs every check on every fixture without an evaluation error", () => {
    for (const check of ALL_CHECKS) {
      for (const kind of ["pass", "fail", "unknown"] as const) {
        const file = fixturePath(check, kind);
        if (!existsSync(file)) continue;
        const report = run(ALL_CHECKS, loadFixture(file));
        const crashed = report.findings.filter((f) => f.message.startsWith("check failed to evaluate"));
        expect(crashed, `${path.basename(file)}`).toEqual([]);
      }
    }
  });
});

for (const check of ALL_CHECKS) {
  describe(`check ${check.id}`, () => {
    it("has complete metadata and a guide with a fix and a prevention", () => {
      expect(check.title.trim().length, "title").toBeGreaterThan(5);
      expect([1, 2, 3, 4, 5, 6]).toContain(check.layer);
      expect(SEVERITIES).toContain(check.severity);
      expect(SCOPES).toContain(check.scope);
      expect(check.why.trim().length, "why").toBeGreaterThan(60);
      for (const [key, values] of Object.entries(check.references)) {
        expect(["cis", "nsa", "kubescape", "polaris"], `unknown reference key ${key}`).toContain(key);
        for (const v of values as string[]) expect(v.trim()).not.toBe("");
      }
      expect(check.needs.length, "needs: name the lists this check reads").toBeGreaterThan(0);
      const guide = check.guide;
      const fix = guide.indexOf("## Fix");
      const prevent = guide.indexOf("## Prevent");
      expect(fix, "guide needs a '## Fix' section").toBeGreaterThanOrEqual(0);
      expect(prevent, "guide needs a '## Prevent' section after '## Fix'").toBeGreaterThan(fix);
      expect(/(~~~|```)/.test(guide.slice(fix, prevent)), "the Fix section needs a code block (YAML or kubectl)").toBe(true);
      expect(guide.slice(prevent).trim().length, "the Prevent section is empty").toBeGreaterThan(80);
      expect(existsSync(path.join(CHECKS_DIR, layerInfo(check.layer).folder, `${check.id}.ts`)), `file ${layerInfo(check.layer).folder}/${check.id}.ts`).toBe(true);
    });

    it("passes its pass fixture", () => {
      const file = fixturePath(check, "pass");
      expect(existsSync(file), `missing fixture ${file}`).toBe(true);
      const report = run(check, loadFixture(file));
      const summary = report.checks[0]!;
      expect(report.findings.filter((f) => f.status !== "excepted"), "no fail or unknown on the pass fixture").toEqual([]);
      expect(summary.counts.pass, "the pass fixture must exercise the check (at least one pass)").toBeGreaterThan(0);
    });

    it("fails its fail fixture at exactly the expected fields", () => {
      const file = fixturePath(check, "fail");
      expect(existsSync(file), `missing fixture ${file}`).toBe(true);
      const fixture = loadFixture(file);
      expect(fixture.expect, "the fail fixture's FixtureOptions must list `expect` (every failure it should produce)").toBeDefined();
      const report = run(check, fixture);
      const fails = report.findings.filter((f) => f.status === "fail");
      expect(fails.length).toBeGreaterThan(0);
      for (const f of fails) {
        expect(f.resource.kind).not.toBe("");
        expect(f.resource.name).not.toBe("");
        expect(f.path, `${f.message}: a failure needs a field path`).toBeTruthy();
        expect(f.message.trim()).not.toBe("");
      }
      const key = (e: { kind: string; namespace?: string | null; name: string; container?: string | null; path: string | null }) =>
        `${e.kind} ${e.namespace ?? "-"}/${e.name} [${e.container ?? "-"}] ${e.path}`;
      const actual = fails.map((f) => key({ ...f.resource, container: f.container, path: f.path })).sort();
      const expected = fixture.expect!.map((e) => key(e)).sort();
      expect(actual).toEqual(expected);
    });

    const unknownFile = fixturePath(check, "unknown");
    if (existsSync(unknownFile)) {
      it("reports unknown, never fail, on its unknown fixture", () => {
        const report = run(check, loadFixture(unknownFile));
        expect(report.findings.filter((f) => f.status === "fail")).toEqual([]);
        expect(report.checks[0]!.counts.unknown).toBeGreaterThan(0);
        expect(report.checks[0]!.counts.pass).toBe(0);
      });
    }
  });
}
