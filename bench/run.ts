/**
 * `npm run bench`: runs every benchmark module and prints its figures and whether it met
 * its targets. Modules: bench/engine-evaluate.ts (the check engine), bench/agent-collect.ts
 * (the agent), bench/ingest-end-to-end.ts (ingest) and bench/dashboard-cluster-page.ts (the cluster
 * page under load), when present; add a module in loadModules().
 *
 *   npm run bench                             all benchmarks, default sizes
 *   npm run bench -- --only engine            one benchmark
 *   npm run bench -- --sizes 10000,50000      other sizes (benchmarks that take sizes)
 *   npm run bench -- --repeat 3               each size 3 times, best times kept (shared machines)
 *   npm run bench -- --json                   raw figures as JSON on the last line
 *
 * Exit code 1 when a target was missed. The machine is shared: run the large sizes sparingly.
 */
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { BenchModule } from "./bench-module";
import { engineBench } from "./engine-evaluate";

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Benchmarks whose module may not exist yet in a checkout are loaded lazily. */
async function loadModules(): Promise<BenchModule[]> {
  const modules: BenchModule[] = [engineBench];
  if (existsSync(path.join(HERE, "agent-collect.ts"))) {
    const agent = (await import("./agent-collect")) as typeof import("./agent-collect");
    modules.push({
      name: "agent",
      description: "the bundled agent collecting and pushing ~100,000 objects from the stand-in API server",
      async run() {
        const r = await agent.runAgentCollectBenchmark({ objects: 100_000, mode: "run" });
        return {
          ok: r.peakRssMb < r.targetPeakRssMb,
          lines: [`${r.name}: ${r.seconds} s, ${r.objectsPerSecond.toLocaleString("en-US")} objects/s, peak RSS ${r.peakRssMb} MB (target < ${r.targetPeakRssMb} MB)`],
          data: r,
        };
      },
    });
  }
  // Modules exporting `benchModule` (a BenchModule), when present in this checkout.
  for (const extra of ["ingest-end-to-end"]) {
    const file = path.join(HERE, `${extra}.ts`);
    if (existsSync(file)) {
      const mod = (await import(`./${extra}`)) as { benchModule?: BenchModule };
      if (mod.benchModule) modules.push(mod.benchModule);
    }
  }
  if (existsSync(path.join(HERE, "dashboard-cluster-page.ts"))) {
    modules.push((await import("./dashboard-cluster-page")).dashboardBench);
  }
  return modules;
}

const { values } = parseArgs({
  options: { only: { type: "string", multiple: true }, sizes: { type: "string" }, repeat: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  strict: true,
});
const modules = await loadModules();
if (values.help) {
  console.log("Usage: npm run bench -- [--only <name>] [--sizes 10000,50000,100000] [--repeat n] [--json]\n\nBenchmarks:");
  for (const m of modules) console.log(`  ${m.name.padEnd(8)} ${m.description}`);
  process.exit(0);
}
const sizes = values.sizes?.split(",").map((s) => Number(s.trim()));
if (sizes && sizes.some((n) => !Number.isInteger(n) || n < 100)) {
  console.error("bench: --sizes takes whole numbers of objects (>= 100), comma-separated");
  process.exit(2);
}
const repeat = values.repeat === undefined ? 1 : Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 1 || repeat > 10) {
  console.error("bench: --repeat takes a whole number from 1 to 10");
  process.exit(2);
}
const only = values.only?.flatMap((o) => o.split(","));
const unknown = only?.filter((o) => !modules.some((m) => m.name === o)) ?? [];
if (unknown.length > 0) {
  console.error(`bench: unknown benchmark ${unknown.join(", ")} (available: ${modules.map((m) => m.name).join(", ")})`);
  process.exit(2);
}

console.log(`Ramparts benchmarks, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} CPU (${os.cpus()[0]?.model.trim() ?? "unknown"}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM`);
const data: Record<string, unknown> = {};
let allOk = true;
for (const m of modules) {
  if (only && !only.includes(m.name)) continue;
  console.log(`\n== ${m.name}: ${m.description}`);
  try {
    const outcome = await m.run({ sizes, repeat, log: (line) => console.log(line) });
    console.log(outcome.lines.map((l) => `  ${l}`).join("\n"));
    console.log(`  ${outcome.ok ? "targets met" : "TARGETS MISSED"}`);
    data[m.name] = outcome.data;
    allOk &&= outcome.ok;
  } catch (err) {
    allOk = false;
    console.log(`  FAILED: ${err instanceof Error ? err.message : String(err)}`);
  }
}
if (values.json) console.log(JSON.stringify(data));
process.exitCode = allOk ? 0 : 1;
