import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { spawnSync } from "node:child_process";
import { scanCommand } from "@/lib/engine/cli/scan-command";
import type { Report } from "@/lib/engine/report/report-types";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "ramparts-scan-"));
  await writeFile(path.join(dir, "app.yaml"), "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx:1.27\n          securityContext: {privileged: true}\n");
  await writeFile(path.join(dir, "bad.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: [x\n");
  await writeFile(path.join(dir, "values.yaml"), "replicaCount: 2\n");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function scan(argv: string[], stdin?: string) {
  let out = "";
  let err = "";
  const code = await scanCommand(argv, {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    stdin: stdin === undefined ? undefined : Readable.from([stdin]),
    now: () => new Date("2026-11-01T00:00:00Z"),
  });
  return { code, out, err };
}

describe("scan command", () => {
  it("prints the JSON report of a file", async () => {
    const { code, out, err } = await scan([path.join(dir, "app.yaml"), "--format", "json"]);
    expect(err).toBe("");
    expect(code).toBe(0);
    const report = JSON.parse(out) as Report;
    expect(report.generatedAt).toBe("2026-11-01T00:00:00.000Z");
    expect(report.findings.find((f) => f.checkId === "privileged-container")).toMatchObject({
      status: "fail",
      resource: { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "web" },
      container: "app",
      path: "spec.template.spec.containers[0].securityContext.privileged",
      source: { file: path.join(dir, "app.yaml"), line: 1 },
    });
    expect(report.layers).toHaveLength(6);
    expect(report.grade).toBe("F");
  });

  it("reads stdin with '-'", async () => {
    const { code, out } = await scan(["-"], "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  hostPID: true\n  containers: [{name: c, image: x}]\n");
    expect(code).toBe(0);
    expect((JSON.parse(out) as Report).findings.some((f) => f.checkId === "host-namespaces" && f.path === "spec.hostPID")).toBe(true);
  });

  it("exits 2 naming the file and line of bad input", async () => {
    const { code, out, err } = await scan([path.join(dir, "bad.yaml")]);
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toMatch(new RegExp(`^ramparts scan: ${path.join(dir, "bad.yaml").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+: invalid YAML`));
    expect(err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("exits 2 on a missing target, an unknown format, extra arguments, or nothing to scan", async () => {
    expect((await scan([path.join(dir, "nope.yaml")])).err).toMatch(/nope\.yaml: no such file or directory/);
    expect((await scan([path.join(dir, "app.yaml"), "--format", "xml"])).code).toBe(2);
    expect((await scan([])).code).toBe(2);
    expect((await scan(["a", "b"])).code).toBe(2);
    expect((await scan(["--bogus", "a"])).code).toBe(2);
    const empty = await scan([path.join(dir, "values.yaml")]);
    expect(empty).toMatchObject({ code: 2, err: expect.stringMatching(/values\.yaml: no Kubernetes objects found/) });
  });

  it("is wired to `npm run scan`", () => {
    const res = spawnSync("npm", ["run", "-s", "scan", "--", path.join(dir, "bad.yaml")], { encoding: "utf8", cwd: process.cwd() });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/bad\.yaml:\d+:\d+: invalid YAML/);
  });
});
