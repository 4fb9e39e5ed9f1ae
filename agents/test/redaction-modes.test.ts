/**
 * No secret leaves the agent, in any mode: objects full of known secret strings (CANARY_SECRETS)
 * go through `collect` (live, to a file and to stdout), `collect --from-file` (kubectl JSON and
 * YAML manifests), `run` (the chunks on the wire) and `push`, and no output may contain any of
 * them, neither plainly nor base64-encoded. The live modes read from the stand-in API server
 * (no real API server can run here); the push modes send to a local ingest server.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { stringify as toYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { snapshotV1Schema } from "@/lib/snapshot/schema";
import { REDACTED } from "@/lib/snapshot/redaction";
import { asKubectlList, buildCluster, CANARY_SECRETS } from "./support/cluster-fixture";
import { startFakeApiServer, type FakeApiServer } from "./support/fake-api-server";
import { startFakeIngestServer, type FakeIngestServer } from "./support/fake-ingest-server";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
const API_TOKEN = "api-token-redaction-test";
const INGEST_TOKEN = "rmp_redaction_test_token_000000";

/** The secret as plain text and as it appears inside base64 at each of the three byte alignments. */
function encodings(secret: string): string[] {
  const out = [secret];
  for (let pad = 0; pad < 3; pad++) {
    const encoded = Buffer.from("x".repeat(pad) + secret).toString("base64");
    out.push(encoded.slice(pad === 0 ? 0 : 4, -4));
  }
  return out;
}

function leaks(text: string): string[] {
  const found: string[] = [];
  for (const [name, secret] of Object.entries(CANARY_SECRETS)) {
    for (const form of encodings(secret)) if (text.includes(form)) found.push(`${name} (${form === secret ? "plain" : "base64"})`);
  }
  return found;
}

async function agent(args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", path.join(ROOT, "agents/src/cli.ts"), ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? "", HOME: os.tmpdir(), ...env } as unknown as NodeJS.ProcessEnv, maxBuffer: 64 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? "", stderr: e.stderr ?? "", code: e.code ?? 1 };
  }
}

let dir: string;
const apis: FakeApiServer[] = [];
let ingest: FakeIngestServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "agent-redaction-"));
  ingest = await startFakeIngestServer({ token: INGEST_TOKEN });
  for (const flavor of ["kubeadm", "k3s"] as const) {
    apis.push(await startFakeApiServer(buildCluster({ appNamespaces: 3, deploymentsPerNamespace: 3, podsPerDeployment: 2, flavor }), { token: API_TOKEN }));
  }
});

afterAll(async () => {
  await ingest.close();
  for (const api of apis) await api.close();
});

function assertCleanSnapshot(text: string, label: string) {
  expect(leaks(text), label).toEqual([]);
  const snapshot = snapshotV1Schema.parse(JSON.parse(text));
  expect(snapshot.objects.length, label).toBeGreaterThan(50);
  // Redaction kept the shape: env names and secret references stay, values are marked.
  const env = snapshot.objects.flatMap((o) => ((o.spec as { containers?: Array<{ env?: Array<{ name: string; value?: string }> }> } | undefined)?.containers ?? []).flatMap((c) => c.env ?? []));
  expect(env.find((e) => e.name === "SESSION_SECRET")?.value, label).toBe(REDACTED);
  return snapshot;
}

describe("no secret in any output", { timeout: 180_000 }, () => {
  it("the fixtures really contain every canary, plainly (a test that could fail)", () => {
    const text = JSON.stringify(asKubectlList(buildCluster({ appNamespaces: 3, deploymentsPerNamespace: 3, podsPerDeployment: 2, flavor: "kubeadm" }))) + JSON.stringify(asKubectlList(buildCluster({ appNamespaces: 1, deploymentsPerNamespace: 1, podsPerDeployment: 1, flavor: "k3s" })));
    expect(leaks(text).filter((l) => l.endsWith("(plain)")).length).toBe(Object.keys(CANARY_SECRETS).length);
  });

  it("collect from a live API, to a file and to stdout", async () => {
    for (const api of apis) {
      const kubeconfig = api.writeKubeconfig(dir);
      const output = path.join(dir, `live-${api.url.split(":").at(-1)}.json`);
      const toFile = await agent(["collect", "--kubeconfig", kubeconfig, "--output", output]);
      expect(toFile.code, toFile.stderr).toBe(0);
      assertCleanSnapshot(readFileSync(output, "utf8"), "collect --output file");
      expect(leaks(toFile.stdout + toFile.stderr)).toEqual([]);
      const toStdout = await agent(["collect", "--kubeconfig", kubeconfig, "--output", "-", "--log-level", "debug"]);
      expect(toStdout.code, toStdout.stderr).toBe(0);
      assertCleanSnapshot(toStdout.stdout, "collect --output -");
      expect(leaks(toStdout.stderr)).toEqual([]);
    }
  });

  it("collect --from-file, from kubectl JSON (Secrets and ConfigMaps included) and from YAML manifests", async () => {
    const cluster = buildCluster({ appNamespaces: 3, deploymentsPerNamespace: 3, podsPerDeployment: 2, flavor: "k3s" });
    const kubectlJson = path.join(dir, "kubectl-all.json");
    writeFileSync(kubectlJson, JSON.stringify(asKubectlList(cluster), null, 2));
    const manifests = path.join(dir, "manifests");
    mkdirSync(manifests, { recursive: true });
    cluster.resources.forEach((r, i) => {
      if (r.items.length > 0) writeFileSync(path.join(manifests, `${i}-${r.resource}.yaml`), r.items.map((item) => toYaml(item)).join("---\n"));
    });
    for (const source of [kubectlJson, manifests]) {
      const output = path.join(dir, `offline-${path.basename(source)}.json`);
      const result = await agent(["collect", "--from-file", source, "--output", output, "--log-level", "debug"]);
      expect(result.code, result.stderr).toBe(0);
      const snapshot = assertCleanSnapshot(readFileSync(output, "utf8"), `collect --from-file ${source}`);
      expect(snapshot.agent.mode).toBe("file");
      const secret = snapshot.objects.find((o) => o.kind === "Secret" && o.metadata.name === "app-credentials");
      expect(secret?.data).toEqual({ password: REDACTED, token: REDACTED });
      expect(leaks(result.stdout + result.stderr)).toEqual([]);
    }
  });

  it("run: the chunks on the wire, the completion call, the --output copy and the logs", async () => {
    const tokenFile = path.join(dir, "token");
    writeFileSync(tokenFile, `${INGEST_TOKEN}\n`);
    for (const api of apis) {
      const before = ingest.rawBodies.length;
      const output = path.join(dir, `run-${api.url.split(":").at(-1)}.json`);
      const result = await agent(["run", "--kubeconfig", api.writeKubeconfig(dir), "--output", output, "--log-level", "debug"], { RAMPARTS_SERVER_URL: ingest.url, RAMPARTS_TOKEN_FILE: tokenFile });
      expect(result.code, result.stderr).toBe(0);
      const bodies = ingest.rawBodies.slice(before);
      expect(bodies.length).toBeGreaterThanOrEqual(2);
      for (const body of bodies) {
        expect(leaks(body.toString("latin1"))).toEqual([]);
        expect(leaks(gunzipSync(body).toString("utf8"))).toEqual([]);
      }
      assertCleanSnapshot(readFileSync(output, "utf8"), "run --output");
      expect(leaks(result.stdout + result.stderr)).toEqual([]);
      expect(result.stderr).not.toContain(INGEST_TOKEN);
    }
    for (const snapshot of ingest.snapshots.values()) expect(leaks(JSON.stringify(snapshot))).toEqual([]);
  });

  it("push of a file that still holds secrets (edited by hand) redacts again before sending", async () => {
    const file = path.join(dir, "edited.json");
    const base = JSON.parse(readFileSync(path.join(dir, "offline-kubectl-all.json.json"), "utf8")) as { objects: unknown[] };
    base.objects.push({ apiVersion: "v1", kind: "Pod", metadata: { name: "edited", namespace: "default", annotations: { "kubectl.kubernetes.io/last-applied-configuration": CANARY_SECRETS.lastApplied } }, spec: { containers: [{ name: "c", image: "x", env: [{ name: "A", value: CANARY_SECRETS.envValue }], args: [`--token=${CANARY_SECRETS.apiToken}`] }] } });
    writeFileSync(file, JSON.stringify(base));
    const before = ingest.rawBodies.length;
    const result = await agent(["push", file, "--server", ingest.url, "--token", INGEST_TOKEN]);
    expect(result.code, result.stderr).toBe(0);
    const bodies = ingest.rawBodies.slice(before);
    expect(bodies.length).toBeGreaterThanOrEqual(2);
    for (const body of bodies) expect(leaks(gunzipSync(body).toString("utf8"))).toEqual([]);
    expect(leaks(result.stdout + result.stderr)).toEqual([]);
  });
});
