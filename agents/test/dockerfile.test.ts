/**
 * The image cannot be built here (no Docker engine), so this test reads agents/Dockerfile and
 * checks the facts that matter: multi-stage, a distroless runtime, a numeric non-root USER, no
 * shell needed to start, only the bundle in the final image, and a build stage that bundles
 * with the same script the benchmark uses (and that script really produces a runnable agent).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const text = readFileSync(new URL("../Dockerfile", import.meta.url), "utf8");
const lines = text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
const stages: string[][] = [];
for (const line of lines) {
  if (/^FROM\s/i.test(line)) stages.push([line]);
  else stages.at(-1)?.push(line);
}
const final = stages.at(-1) ?? [];

describe("agents/Dockerfile", () => {
  it("is multi-stage with a distroless Node runtime", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(final[0]).toMatch(/^FROM gcr\.io\/distroless\/nodejs\d+-debian\d+(:nonroot)?(@sha256:[0-9a-f]{64})?$/);
  });

  it("runs as a numeric non-root user, in exec form, without a shell", () => {
    const user = final.filter((l) => /^USER\s/i.test(l));
    expect(user).toHaveLength(1);
    const [uid, gid] = (user[0] as string).replace(/^USER\s+/i, "").split(":");
    expect(uid).toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
    if (gid !== undefined) expect(Number(gid)).toBeGreaterThan(0);
    const entrypoint = final.find((l) => /^ENTRYPOINT\s/i.test(l)) ?? "";
    expect(JSON.parse(entrypoint.replace(/^ENTRYPOINT\s+/i, ""))).toEqual(["/nodejs/bin/node", "/app/agent.mjs"]);
    expect(final.some((l) => /^RUN\s/i.test(l))).toBe(false);
    expect(text).not.toMatch(/\/bin\/(ba)?sh/);
    // The chart's runAsUser must match the image's user.
    const chart = readFileSync(new URL("../chart/templates/cronjob.yaml", import.meta.url), "utf8");
    expect(chart).toContain(`runAsUser: ${uid}`);
  });

  it("copies only the bundle into the final image, read-only, and takes no secrets as build args", () => {
    const copies = final.filter((l) => /^COPY\s/i.test(l));
    expect(copies).toEqual([expect.stringMatching(/^COPY --from=build .*\/out\/agent\.mjs \/app\/agent\.mjs$/)]);
    expect(copies[0]).toContain("--chmod=0444");
    expect(text).not.toMatch(/^\s*(ARG|ENV)\s+\S*(TOKEN|SECRET|PASSWORD)/im);
    expect(final.some((l) => /^VOLUME\s/i.test(l))).toBe(false);
  });

  it("caps the V8 heap as the benchmark measured it", async () => {
    const { AGENT_NODE_FLAGS } = await import("../../bench/agent-collect");
    const env = final.find((l) => /^ENV\s.*NODE_OPTIONS=/.test(l)) ?? "";
    expect(/NODE_OPTIONS=(\S+)/.exec(env)?.[1]).toBe(AGENT_NODE_FLAGS.join(" "));
  });

  it("installs dependencies from the lock without install scripts and bundles with build-bundle.mjs", () => {
    const build = stages[0] ?? [];
    expect(build.some((l) => /npm ci\b.*--ignore-scripts/.test(l))).toBe(true);
    expect(build).toContain("RUN node agents/tools/build-bundle.mjs /out/agent.mjs");
    for (const copy of build.filter((l) => /^COPY\s/i.test(l))) {
      for (const source of copy.replace(/^COPY\s+/i, "").split(/\s+/).slice(0, -1)) expect(existsSync(path.resolve(import.meta.dirname, "../..", source)), source).toBe(true);
    }
  });

  it("the bundle the build stage makes runs with node alone", () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), "agent-bundle-")), "agent.mjs");
    execFileSync(process.execPath, [path.resolve(import.meta.dirname, "../tools/build-bundle.mjs"), out], { stdio: "pipe" });
    expect(execFileSync(process.execPath, [out, "--version"], { cwd: os.tmpdir(), env: { PATH: "" } as unknown as NodeJS.ProcessEnv }).toString().trim()).toMatch(/^\d+\.\d+\.\d+$/);
  }, 60_000);
});
