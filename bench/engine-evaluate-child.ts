/**
 * Child process of the engine benchmark: reads one snapshot file, then times JSON.parse,
 * snapshot validation and evaluate (cold: the first evaluation in the process), reports its
 * own peak RSS at that point, then times a second, warm evaluation of the same input. One
 * size per process, so each size's peak memory is measured alone. Prints one JSON line.
 */
import { readFileSync } from "node:fs";
import { parseSnapshot, snapshotToEngineInput } from "@/lib/engine/inputs/snapshot-input";
import { evaluate } from "@/lib/engine/evaluate/evaluate";

const file = process.argv[2]!;
const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;
// CPU time (user + system, all threads of the process: GC helpers included) is not inflated
// by waiting for a core, so it stays meaningful on a loaded, shared machine.
const cpuMs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};

const text = readFileSync(file, "utf8");
let t = process.hrtime.bigint();
let c = process.cpuUsage();
const value: unknown = JSON.parse(text);
const parseMs = ms(t);
const parseCpuMs = cpuMs(c);

t = process.hrtime.bigint();
const snapshot = parseSnapshot(value, file);
const validateMs = ms(t);

const input = snapshotToEngineInput(snapshot);
// Per-check times (a few hrtime calls per check: negligible), to show which checks cost most.
const checkMs: Record<string, number> = {};
const instrument = (id: string, run: () => void) => {
  const from = process.hrtime.bigint();
  run();
  checkMs[id] = ms(from);
};
t = process.hrtime.bigint();
c = process.cpuUsage();
const report = evaluate(input, { now: new Date("2026-11-01T00:00:00Z"), instrument });
const evaluateMs = ms(t);
const evaluateCpuMs = cpuMs(c);
const slowestChecks = Object.entries(checkMs)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 5)
  .map(([id, v]) => ({ id, ms: Math.round(v) }));

// The report is what the ingest job stores: include serializing it.
t = process.hrtime.bigint();
const reportBytes = JSON.stringify(report).length;
const serializeMs = ms(t);

// Peak memory of one evaluation, read before the warm run below.
const peakRssMb = process.resourceUsage().maxRSS / 1024;

// A long-running ingest worker evaluates with warm (optimized) code: time a second evaluation too.
t = process.hrtime.bigint();
evaluate(input, { now: new Date("2026-11-01T00:00:00Z") });
const warmEvaluateMs = ms(t);

process.stdout.write(
  `${JSON.stringify({
    objects: input.objects.length,
    inputBytes: Buffer.byteLength(text),
    parseMs,
    parseCpuMs,
    validateMs,
    evaluateMs,
    evaluateCpuMs,
    serializeMs,
    findings: report.findings.length,
    results: report.counts.pass + report.counts.fail + report.counts.unknown + report.counts.excepted + report.counts.notApplicable,
    score: report.score,
    reportBytes,
    peakRssMb,
    warmEvaluateMs,
    checksMs: Math.round(Object.values(checkMs).reduce((a, b) => a + b, 0)),
    slowestChecks,
  })}\n`,
);
