/**
 * Benchmark: the agent collecting a cluster of ~100,000 objects from the stand-in API server
 * and pushing it (the CronJob's `run`: list pages → redact → gzip chunks → upload), measured on
 * the bundled agent exactly as the image runs it. Prints peak RSS and objects/s.
 * Run: npx tsx bench/agent-collect.ts [objects] [--mode run|collect]
 * From bench/run.ts: import { runAgentCollectBenchmark } from "./agent-collect".
 */
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
// @ts-expect-error plain JavaScript module without types
import { buildAgentBundle } from "../agents/tools/build-bundle.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..");

export interface AgentBenchmarkOptions {
  objects?: number;
  /** "run": collect and push (default); "collect": collect to a readable file. */
  mode?: "run" | "collect";
  pageSize?: number;
  qps?: number;
  /** Node flags for the agent process, as the image sets them (default: the image's). */
  nodeFlags?: string[];
}

/** The heap cap the image and the chart give the agent (agents/Dockerfile NODE_OPTIONS). */
export const AGENT_NODE_FLAGS = ["--max-old-space-size=192"];

export interface AgentBenchmarkResult {
  name: string;
  mode: "run" | "collect";
  objects: number;
  seconds: number;
  objectsPerSecond: number;
  peakRssMb: number;
  targetPeakRssMb: number;
  outputBytes?: number;
}

export async function runAgentCollectBenchmark(options: AgentBenchmarkOptions = {}): Promise<AgentBenchmarkResult> {
  const mode = options.mode ?? "run";
  const outDir = path.join(ROOT, "bench/out");
  mkdirSync(outDir, { recursive: true });
  const bundle: string = await buildAgentBundle(path.join(outDir, "agent.mjs"));

  const servers = spawn(process.execPath, ["--import", "tsx", path.join(HERE, "agent-fake-servers.ts"), String(options.objects ?? 100_000)], { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] });
  try {
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: servers.stdout! }).once("line", resolve);
      servers.once("exit", (code) => reject(new Error(`fake servers exited with ${code}`)));
    });
    const info = JSON.parse(first) as { objects: number; kubeconfig: string; ingestUrl: string };

    const output = path.join(outDir, "agent-snapshot.json");
    const args = mode === "run" ? ["run", "--kubeconfig", info.kubeconfig, "--server", info.ingestUrl, "--token", "rmp_bench_token_0000000000"] : ["collect", "--kubeconfig", info.kubeconfig, "--output", output];
    if (options.pageSize) args.push("--page-size", String(options.pageSize));
    if (options.qps) args.push("--qps", String(options.qps));
    const started = process.hrtime.bigint();
    const agent = spawn(process.execPath, [...(options.nodeFlags ?? AGENT_NODE_FLAGS), "--import", path.join(HERE, "agent-rss-reporter.mjs"), bundle, ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
    let maxRssKb = 0;
    let lastError = "";
    createInterface({ input: agent.stderr! }).on("line", (line) => {
      const m = /"benchMaxRssKb":(\d+)/.exec(line);
      if (m) maxRssKb = Number(m[1]);
      else if (line.includes('"level":"error"')) lastError = line;
    });
    const code = await new Promise<number>((resolve) => agent.once("exit", (c) => resolve(c ?? 1)));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (code !== 0) throw new Error(`agent exited with ${code}: ${lastError}`);
    const result: AgentBenchmarkResult = {
      name: `agent ${mode} of ${info.objects} objects`,
      mode,
      objects: info.objects,
      seconds: Math.round(seconds * 100) / 100,
      objectsPerSecond: Math.round(info.objects / seconds),
      peakRssMb: Math.round((maxRssKb / 1024) * 10) / 10,
      targetPeakRssMb: 300,
    };
    if (mode === "collect") {
      result.outputBytes = statSync(output).size;
      rmSync(output, { force: true });
    }
    return result;
  } finally {
    servers.stdin?.end();
    await new Promise((resolve) => (servers.exitCode !== null ? resolve(null) : servers.once("exit", resolve)));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const objects = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 100_000);
  const modeIndex = process.argv.indexOf("--mode");
  const mode = (modeIndex > 0 ? process.argv[modeIndex + 1] : "run") as "run" | "collect";
  const result = await runAgentCollectBenchmark({ objects, mode });
  console.log(`${result.name}: ${result.seconds} s, ${result.objectsPerSecond} objects/s, peak RSS ${result.peakRssMb} MB (target < ${result.targetPeakRssMb} MB)${result.outputBytes ? `, output ${Math.round(result.outputBytes / 1e6)} MB` : ""}`);
  console.log(JSON.stringify(result));
  if (result.peakRssMb >= result.targetPeakRssMb) process.exitCode = 1;
}
