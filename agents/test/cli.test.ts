/**
 * The command line: modes, flags, and one clear line plus a non-zero exit for bad flags, a bad
 * kubeconfig or context, an unreachable API server and an unreachable Ramparts server.
 * Live modes read from the stand-in API server (no real API server can run here).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { snapshotV1Schema } from "@/lib/snapshot/schema";
import { main } from "../src/cli";
import { createMemoryLogger } from "../src/log/logger";
import { buildCluster } from "./support/cluster-fixture";
import { startFakeApiServer, type FakeApiServer } from "./support/fake-api-server";
import { startFakeIngestServer, type FakeIngestServer } from "./support/fake-ingest-server";

const API_TOKEN = "cli-test-api-token";
const INGEST_TOKEN = "rmp_cli_test_token_00000000";
let api: FakeApiServer;
let ingest: FakeIngestServer;
let dir: string;
let kubeconfig: string;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function cli(args: string[], env: Record<string, string> = {}) {
  const log = createMemoryLogger();
  const code = await main(args, { env: env as NodeJS.ProcessEnv, log, sleep: async () => {} });
  const errors = log.lines.filter((l) => l.includes('"level":"error"')).map((l) => (JSON.parse(l) as { msg: string }).msg);
  return { code, errors, lines: log.lines };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "agent-cli-"));
  api = await startFakeApiServer(buildCluster({ appNamespaces: 2, deploymentsPerNamespace: 2, podsPerDeployment: 1 }), { token: API_TOKEN });
  ingest = await startFakeIngestServer({ token: INGEST_TOKEN });
  kubeconfig = api.writeKubeconfig(dir);
});
afterAll(async () => {
  await api.close();
  await ingest.close();
});

describe("ramparts-agent", { timeout: 120_000 }, () => {
  it("collect --kubeconfig --context writes a valid snapshot", async () => {
    const output = path.join(dir, "ctx.json");
    const result = await cli(["collect", "--kubeconfig", kubeconfig, "--context", "other", "--output", output]);
    expect(result.code).toBe(0);
    expect(snapshotV1Schema.parse(JSON.parse(readFileSync(output, "utf8"))).objects.length).toBeGreaterThan(40);
  });

  it("run collects and pushes; push sends a collected file", async () => {
    const tokenFile = path.join(dir, "token");
    writeFileSync(tokenFile, INGEST_TOKEN);
    const before = ingest.snapshots.size;
    expect((await cli(["run", "--kubeconfig", kubeconfig, "--server", ingest.url, "--token-file", tokenFile])).code).toBe(0);
    const output = path.join(dir, "to-push.json");
    expect((await cli(["collect", "--kubeconfig", kubeconfig, "--output", output])).code).toBe(0);
    expect((await cli(["push", output], { RAMPARTS_SERVER_URL: ingest.url, RAMPARTS_TOKEN: INGEST_TOKEN })).code).toBe(0);
    expect(ingest.snapshots.size).toBe(before + 2);
    const counts = [...ingest.snapshots.values()].slice(-2).map((s) => s.objects.length);
    expect(counts[0]).toBe(counts[1]);
  });

  it.each([
    [["--bogus"], 2, null],
    [[], 2, /no command/],
    [["scan"], 2, /unknown command "scan"/],
    [["collect", "--kubeconfig", "/nonexistent/kubeconfig", "--output", "/tmp/x.json"], 2, /kubeconfig \/nonexistent\/kubeconfig does not exist/],
    [["collect", "--output", "/tmp/x.json"], 2, /not running in a cluster/],
    [["collect", "--kubeconfig", "KUBECONFIG", "--context", "nope", "--output", "/tmp/x.json"], 2, /has no context "nope" \(contexts: fake, other\)/],
    [["collect", "--kubeconfig", "KUBECONFIG"], 2, /collect needs --output/],
    [["push", "/tmp/x.json", "--server", "http://example.com", "--token", INGEST_TOKEN], 2, /must use https/],
    [["push", "/nonexistent.json", "--server", "https://example.com"], 2, /no cluster token/],
    [["collect", "--from-file", "/nonexistent-dir", "--output", "/tmp/x.json"], 2, /nonexistent-dir: no such file or directory/],
    [["run", "--kubeconfig", "KUBECONFIG", "--server", "https://x.example", "--token", "short"], 2, /token is missing or malformed/],
    [["collect", "--kubeconfig", "KUBECONFIG", "--page-size", "0", "--output", "/tmp/x.json"], 2, /--page-size must be at least 1/],
    [["push", "a", "b", "--server", "https://x.example", "--token", INGEST_TOKEN], 2, /exactly one snapshot file/],
    [["collect", "--server", "https://x.example", "--output", "/tmp/x.json"], 2, /--server does not apply to collect/],
  ])("%j exits %i with one clear line", async (args, code, message) => {
    const result = await cli((args as string[]).map((a) => (a === "KUBECONFIG" ? kubeconfig : a)));
    expect(result.code).toBe(code);
    if (message) {
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(message);
      expect(result.lines.join("")).not.toMatch(/\n\s+at /);
    }
  });

  it("an unreachable API server gives one clear line and exit 1", async () => {
    const port = await freePort();
    const file = path.join(dir, "dead-kubeconfig.yaml");
    writeFileSync(file, readFileSync(kubeconfig, "utf8").replace(/server: .*/, `server: http://127.0.0.1:${port}`));
    const result = await cli(["collect", "--kubeconfig", file, "--output", path.join(dir, "dead.json")]);
    expect(result.code).toBe(1);
    expect(result.errors).toEqual([expect.stringMatching(new RegExp(`cannot reach the Kubernetes API at http://127.0.0.1:${port}/version`))]);
  });

  it("an unreachable Ramparts server is retried within the budget, then exit 3 with one clear line", async () => {
    const port = await freePort();
    const result = await cli(["run", "--kubeconfig", kubeconfig, "--server", `http://127.0.0.1:${port}`, "--token", INGEST_TOKEN, "--push-budget-seconds", "30"]);
    expect(result.code).toBe(3);
    expect(result.lines.filter((l) => l.includes("upload failed, retrying")).length).toBeGreaterThan(0);
    expect(result.errors.at(-1)).toMatch(/chunk 0: gave up/);
  });

  it("a run the server refuses is reported as abandoned, with the server's reason", async () => {
    ingest.script.push({ status: 413, body: { error: { code: "payload_too_large", message: "The body inflates to more than 16 MiB" } } });
    const result = await cli(["run", "--kubeconfig", kubeconfig, "--server", ingest.url, "--token", INGEST_TOKEN]);
    expect(result.code).toBe(3);
    const abandon = ingest.requests.filter((r) => r.path.endsWith("/abandon"));
    expect(abandon).toHaveLength(1);
    const snapshotId = /snapshots\/([^/]+)\/abandon/.exec(abandon[0]!.path)![1]!;
    expect(ingest.abandoned.get(snapshotId)).toMatchObject({ reason: "push_refused", message: expect.stringMatching(/payload_too_large: The body inflates to more than 16 MiB/) });
    expect(abandon[0]!.headers["idempotency-key"]).toBe(`${snapshotId}:abandon`);
  });

  it("a run whose collection fails reports it, and a refused token is not reported", async () => {
    const port = await freePort();
    const dead = path.join(dir, "dead-run-kubeconfig.yaml");
    writeFileSync(dead, readFileSync(kubeconfig, "utf8").replace(/server: .*/, `server: http://127.0.0.1:${port}`));
    const before = ingest.abandoned.size;
    const failed = await cli(["run", "--kubeconfig", dead, "--server", ingest.url, "--token", INGEST_TOKEN]);
    expect(failed.code).toBe(1);
    expect(ingest.abandoned.size).toBe(before + 1);
    expect([...ingest.abandoned.values()].at(-1)).toMatchObject({ reason: "collection_failed", message: expect.stringMatching(/cannot reach the Kubernetes API/) });

    const requestsBefore = ingest.requests.length;
    const refused = await cli(["run", "--kubeconfig", kubeconfig, "--server", ingest.url, "--token", "rmp_not_the_right_token_000"]);
    expect(refused.code).toBe(3);
    expect(ingest.requests.slice(requestsBefore).some((r) => r.path.endsWith("/abandon"))).toBe(false);
  });
});
