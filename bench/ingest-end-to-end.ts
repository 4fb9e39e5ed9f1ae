/**
 * Ingest benchmark: a 100,000-object snapshot end to end (upload every chunk and the completion
 * through the real route handlers, store, evaluate through the real queue, visible as the
 * cluster's latest) against the engine alone on the same snapshot, side by side in one run,
 * each in a child process of its own (bench/ingest-end-to-end-child.ts). The agent's own chunk
 * builder packs the snapshot beforehand (agent-side work is not counted).
 *
 * Target (issue 5): end to end at most 3x the engine's evaluation time alone (evaluate()).
 * The app process ingests two snapshots of one cluster: the first in a fresh process (every
 * code path still cold, nothing to diff against), then the next one (an hour later, one team
 * namespace in twenty recreated under a new name: see NEXT_SNAPSHOT_CHURN; diffed against the
 * first) in the now running process. The target is judged warm
 * against warm: the next snapshot against the engine's warm evaluate() (its second run in its
 * process), which is what a running server does for every snapshot; the first snapshot is shown
 * against the engine's first (cold) evaluate() and against the warm one. The scan path (parse +
 * validation + evaluate, what `ramparts scan` does with the same bytes) is shown for reference.
 * Judged on PostgreSQL; the embedded database's figures are shown, not judged.
 *
 * Runs on the embedded database, and on PostgreSQL too when BENCH_DATABASE_URL or
 * TEST_DATABASE_URL (a superuser connection) is set.
 * From bench/run.ts: import { ingestBench } from "./ingest-end-to-end" (a BenchModule).
 * Alone: npx tsx bench/ingest-end-to-end.ts [objects] [pglite,postgres] [repeat]
 * Both children run with the server's V8 flags (lib/config/server-node-flags.ts).
 * Diagnostics: BENCH_CPU_PROF=<dir> (a V8 CPU profile of each child), BENCH_NODE_FLAGS="--trace-gc …"
 * (extra node flags for both children, after the server's: to try one on both sides), BENCH_CHILD_LOG=<prefix> (each
 * child's output kept in a file).
 */
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";
import type { BenchModule, BenchOutcome } from "./bench-module";
import { buildSyntheticSnapshot, withChurn } from "./synthetic-cluster";

/**
 * The next snapshot is the first an hour later with this share of its team namespaces recreated
 * under new names: a busy cluster, whose findings partly resolve and partly appear anew.
 */
const NEXT_SNAPSHOT_CHURN = 0.05;
import { ChunkBuilder, type SealedChunk } from "@/agents/src/snapshot/chunk-builder";
import { newSnapshotId } from "@/agents/src/snapshot/snapshot-id";
import { SERVER_NODE_FLAGS } from "@/lib/config/server-node-flags";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..");

export const TARGET_RATIO = 3;

interface EngineSide {
  parseMs: number;
  validateMs: number;
  evaluateMs: number;
  warmEvaluateMs: number;
  evaluateCpuMs: number;
  warmEvaluateCpuMs: number;
  findings: number;
  score: number;
  peakRssMb: number;
}

/** Where the evaluation job's time went (from its own log line). */
export interface JobBreakdown {
  loadMs: number;
  assembleMs: number;
  evaluateMs: number;
  /** After the engine finished: the rest of the write, until the commit. */
  writeMs: number;
  /** The part of writeMs spent waiting for findings still being inserted (most are inserted while the engine runs). */
  insertFindingsMs: number;
  /** Finding rows written: only what changed since the previous snapshot (docs/ingest.md, "Findings span snapshots"). */
  rows?: { inserted: number; updated: number; ended: number };
}

/** One snapshot pushed and evaluated until visible. */
export interface IngestRun {
  uploadMs: number;
  jobMs: number;
  endToEndMs: number;
  /** CPU of the app process (every thread). */
  appCpuMs: number;
  /** CPU of the database backends (local PostgreSQL only; the embedded database runs in the app process). */
  databaseCpuMs: number | null;
  findings: number;
  newFindings: number | null;
  resolvedFindings: number | null;
  chunks: number;
  compressedBytes: number;
  job?: JobBreakdown;
}

interface IngestSide {
  /** The cluster's first snapshot, in a fresh app process. */
  first: IngestRun;
  /** The cluster's next snapshot (with churn, diffed against the first), in the running process. */
  next: IngestRun;
  /** A re-evaluation of the first snapshot (as after an exception change: finding rows updated in place). */
  reevaluation: Omit<JobBreakdown, "insertFindingsMs"> & { insertFindingsMs?: number };
  /** Peak RSS of the app process after its first snapshot. */
  peakRssMb: number;
}

export interface IngestBenchResult {
  database: "pglite" | "postgres";
  objects: number;
  engine: EngineSide;
  ingest: IngestSide;
  /** JSON.parse + validation + evaluate: the engine's run on the same snapshot (reference). */
  scanPathMs: number;
  /** The next snapshot end to end over the engine's warm evaluate(): the target. */
  ratio: number;
  /** The first snapshot end to end over the engine's cold (first) evaluate(). */
  firstRatioToColdEvaluate: number;
  /** The first snapshot end to end over the engine's warm evaluate(). */
  firstRatioToWarmEvaluate: number;
}

const f0 = (n: number) => Math.round(n).toLocaleString("en-US");

function runChild(args: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each child there (open it in Chrome's DevTools).
    const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    // Both sides run with the server's V8 flags (what production runs ingest with; the engine side gains from them too).
    const extra = [...SERVER_NODE_FLAGS, ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(" ") : [])];
    const child = spawn(process.execPath, [...profile, ...extra, "--import", "tsx", path.join(HERE, "ingest-end-to-end-child.ts"), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: process.env });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`bench child (${args[0]}) exited with ${code}: ${err.trim().split("\n").filter((l) => !l.startsWith("    at ")).slice(-12).join(" | ")}`));
      else {
        if (process.env.BENCH_CHILD_LOG) writeFileSync(`${process.env.BENCH_CHILD_LOG}.${args[0]}.${Date.now()}`, out);
        resolve(JSON.parse(out.trim().split("\n").filter((l) => l.startsWith("{")).pop()!));
      }
    });
  });
}

/** Writes one snapshot's chunks and completion as the agent would send them. */
async function packForIngest(snapshot: ReturnType<typeof buildSyntheticSnapshot>, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const snapshotId = newSnapshotId();
  const chunks: SealedChunk[] = [];
  const builder = new ChunkBuilder({ snapshotId, onChunk: async (c) => void chunks.push(c) });
  for (const object of snapshot.objects) await builder.add(object);
  const receipts = await builder.finish();
  for (const c of chunks) writeFileSync(path.join(dir, `chunk-${c.index}.gz`), c.body);
  const { objects: _objects, ...header } = snapshot;
  writeFileSync(path.join(dir, "complete.gz"), zlib.gzipSync(JSON.stringify({ snapshotId, header, chunkCount: receipts.length, chunks: receipts })));
  writeFileSync(path.join(dir, "meta.json"), JSON.stringify({ snapshotId }));
}

/** Writes the snapshot (for the engine side) and, for the ingest side, the cluster's first and next snapshots. */
async function prepare(objects: number, dir: string): Promise<{ file: string; objectCount: number }> {
  mkdirSync(dir, { recursive: true });
  const snapshot = buildSyntheticSnapshot(objects);
  const file = path.join(dir, "snapshot.json");
  writeFileSync(file, JSON.stringify(snapshot));
  await packForIngest(snapshot, path.join(dir, "first"));
  const anHourLater = new Date(Date.parse(snapshot.collectedAt) + 3_600_000).toISOString();
  await packForIngest(withChurn(snapshot, NEXT_SNAPSHOT_CHURN, anHourLater), path.join(dir, "next"));
  return { file, objectCount: snapshot.objects.length };
}

export async function runIngestBenchmark(options: { objects?: number; databases?: ("pglite" | "postgres")[]; repeat?: number; log?: (line: string) => void } = {}): Promise<IngestBenchResult[]> {
  const log = options.log ?? (() => {});
  const dir = path.join(ROOT, "bench/out/ingest");
  rmSync(dir, { recursive: true, force: true });
  try {
    log(`  preparing a ${(options.objects ?? 100_000).toLocaleString("en-US")}-object snapshot and the agent's chunks...`);
    const { file, objectCount } = await prepare(options.objects ?? 100_000, dir);
    const results: IngestBenchResult[] = [];
    for (const database of options.databases ?? ["pglite"]) {
      // Each side's least disturbed run (other load only slows a run down), judged against each
      // other: never a fast ingest against a disturbed, slow engine run.
      let engine: EngineSide | undefined;
      let ingest: IngestSide | undefined;
      for (let run = 1; run <= (options.repeat ?? 1); run++) {
        const of = (options.repeat ?? 1) > 1 ? ` (run ${run} of ${options.repeat})` : "";
        log(`  [${database}] engine alone${of}...`);
        const engineRun = (await runChild(["engine", file])) as EngineSide;
        log(`  [${database}] ingest end to end${of}...`);
        const ingestRun = (await runChild(["ingest", dir, database])) as IngestSide;
        log(`  [${database}] run ${run}: next snapshot ${f0(ingestRun.next.endToEndMs)} ms (${(ingestRun.next.endToEndMs / engineRun.warmEvaluateMs).toFixed(2)}x this run's warm evaluate ${f0(engineRun.warmEvaluateMs)} ms), first ${f0(ingestRun.first.endToEndMs)} ms`);
        if (!engine || engineRun.warmEvaluateMs < engine.warmEvaluateMs) engine = engineRun;
        if (!ingest || ingestRun.next.endToEndMs < ingest.next.endToEndMs) ingest = ingestRun;
      }
      const best: IngestBenchResult = {
        database,
        objects: objectCount,
        engine: engine!,
        ingest: ingest!,
        scanPathMs: engine!.parseMs + engine!.validateMs + engine!.evaluateMs,
        ratio: ingest!.next.endToEndMs / engine!.warmEvaluateMs,
        firstRatioToColdEvaluate: ingest!.first.endToEndMs / engine!.evaluateMs,
        firstRatioToWarmEvaluate: ingest!.first.endToEndMs / engine!.warmEvaluateMs,
      };
      results.push(best);
    }
    return results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function ingestTable(results: readonly IngestBenchResult[]): { lines: string[]; ok: boolean } {
  const header = ["database", "snapshot", "upload ms", "job ms", "end-to-end ms", "vs evaluate()", "CPU app ms", "CPU db ms", "findings", "new", "resolved"];
  const rows = results.flatMap((r) => [
    [r.database, "first (fresh app)", f0(r.ingest.first.uploadMs), f0(r.ingest.first.jobMs), f0(r.ingest.first.endToEndMs), `${r.firstRatioToColdEvaluate.toFixed(2)}x cold, ${r.firstRatioToWarmEvaluate.toFixed(2)}x warm`, f0(r.ingest.first.appCpuMs), r.ingest.first.databaseCpuMs === null ? "-" : f0(r.ingest.first.databaseCpuMs), f0(r.ingest.first.findings), "-", "-"],
    [r.database, "next (running app)", f0(r.ingest.next.uploadMs), f0(r.ingest.next.jobMs), f0(r.ingest.next.endToEndMs), `${r.ratio.toFixed(2)}x warm`, f0(r.ingest.next.appCpuMs), r.ingest.next.databaseCpuMs === null ? "-" : f0(r.ingest.next.databaseCpuMs), f0(r.ingest.next.findings), String(r.ingest.next.newFindings ?? "-"), String(r.ingest.next.resolvedFindings ?? "-")],
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const lines: string[] = [];
  for (const r of results) {
    const e = r.engine;
    lines.push(
      `${r.database}: ${f0(r.objects)} objects in ${r.ingest.first.chunks} chunks (${(r.ingest.first.compressedBytes / 1e6).toFixed(1)} MB gzip); the engine alone: parse ${f0(e.parseMs)} ms, validate ${f0(e.validateMs)} ms, evaluate() ${f0(e.evaluateMs)} ms cold / ${f0(e.warmEvaluateMs)} ms warm (CPU ${f0(e.evaluateCpuMs)} / ${f0(e.warmEvaluateCpuMs)} ms), scan path ${f0(r.scanPathMs)} ms; ${f0(e.findings)} findings`,
    );
  }
  lines.push("", fmt(header), fmt(widths.map((w) => "-".repeat(w))), ...rows.map(fmt), "");
  const step = (b: Partial<JobBreakdown> | undefined) =>
    b ? `load ${f0(b.loadMs ?? 0)} ms, assemble ${f0(b.assembleMs ?? 0)} ms, evaluate ${f0(b.evaluateMs ?? 0)} ms, then write ${f0(b.writeMs ?? 0)} ms (of which waiting for findings ${f0(b.insertFindingsMs ?? 0)} ms)${b.rows ? `; rows written: ${f0(b.rows.inserted)} inserted, ${f0(b.rows.updated)} updated, ${f0(b.rows.ended)} ended` : ""}` : "-";
  for (const r of results) {
    lines.push(`${r.database}: the first snapshot's job: ${step(r.ingest.first.job)}`);
    lines.push(`${r.database}: the next snapshot's job: ${step(r.ingest.next.job)}`);
    lines.push(`${r.database}: a re-evaluation (exception changed; finding rows updated in place): ${step(r.ingest.reevaluation)}`);
    lines.push(`${r.database}: peak RSS of the app process after its first snapshot ${f0(r.ingest.peakRssMb)} MB`);
  }
  const judged = results.filter((r) => r.database === "postgres");
  const ok = judged.every((r) => r.ratio <= TARGET_RATIO);
  for (const r of judged) if (r.ratio > TARGET_RATIO) lines.push(`MISSED (${r.database}): the next snapshot end to end is ${r.ratio.toFixed(2)}x the engine's warm evaluate() (target <= ${TARGET_RATIO}x)`);
  if (judged.length === 0) lines.push(`The target (<= ${TARGET_RATIO}x) is judged on PostgreSQL: set TEST_DATABASE_URL or BENCH_DATABASE_URL.`);
  return { lines, ok };
}

export const ingestBench: BenchModule = {
  name: "ingest",
  description: "a 100,000-object snapshot end to end (upload, store, evaluate in the queue, visible) vs the engine alone, child processes",
  async run(options): Promise<BenchOutcome> {
    const databases: ("pglite" | "postgres")[] = ["pglite", ...(process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL ? (["postgres"] as const) : [])];
    const results = await runIngestBenchmark({ objects: options.sizes?.at(-1) ?? 100_000, databases, repeat: options.repeat, log: options.log });
    const { lines, ok } = ingestTable(results);
    return { ok, lines, data: results };
  },
};
export const benchModule = ingestBench;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const objects = Number(process.argv[2] ?? 100_000);
  const databases = (process.argv[3] ?? "pglite").split(",") as ("pglite" | "postgres")[];
  const results = await runIngestBenchmark({ objects, databases, repeat: Number(process.argv[4] ?? 1), log: (l) => console.error(l) });
  const { lines, ok } = ingestTable(results);
  console.log(lines.join("\n"));
  if (!ok) process.exitCode = 1;
}
