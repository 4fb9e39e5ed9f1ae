/**
 * Child process of the ingest benchmark, so each side is measured in a clean heap like the
 * process it stands for:
 *   engine <snapshot.json>        what `ramparts scan snapshot.json` does: JSON.parse, snapshot
 *                                 validation, evaluate (cold), then a second (warm) evaluation
 *   ingest <dir> <pglite|postgres> an app process: every chunk and the completion through the
 *                                 route handlers, then the evaluation job through the queue,
 *                                 until the snapshot is the cluster's latest; then a timed
 *                                 re-evaluation for the breakdown
 * Prints one JSON line.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { parseSnapshot, snapshotToEngineInput } from "@/lib/engine/inputs/snapshot-input";
import { evaluate } from "@/lib/engine/evaluate/evaluate";

const [mode, target, database] = process.argv.slice(2);
const since = (t: number) => performance.now() - t;

if (mode === "engine") {
  const text = readFileSync(target!, "utf8");
  let t = performance.now();
  const value: unknown = JSON.parse(text);
  const parseMs = since(t);
  t = performance.now();
  const snapshot = parseSnapshot(value, target!);
  const validateMs = since(t);
  const input = snapshotToEngineInput(snapshot);
  t = performance.now();
  const report = evaluate(input, { now: new Date() });
  const evaluateMs = since(t);
  t = performance.now();
  evaluate(input, { now: new Date() });
  const warmEvaluateMs = since(t);
  process.stdout.write(`${JSON.stringify({ parseMs, validateMs, evaluateMs, warmEvaluateMs, findings: report.findings.length, score: report.score, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
} else if (mode === "ingest") {
  process.env.INGEST_RATE_LIMIT_PER_MINUTE = "100000";
  // The evaluation job logs its own timings (job.evaluate_snapshot): keep that line, drop the rest.
  process.env.LOG_LEVEL = "info";
  let jobTimings: Record<string, unknown> | undefined;
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    if (text.includes('"event":"job.evaluate_snapshot"')) jobTimings = JSON.parse(text) as Record<string, unknown>;
    if (text.startsWith('{"time"')) return true;
    return write(chunk as string, ...(rest as []));
  }) as typeof process.stdout.write;
  const { connectPGlite, connectPostgres, useDbHandle: installDbHandle, closeDb, db } = await import("@/lib/db/client");
  const { openEmbeddedDatabase } = await import("@/lib/db/embedded-database");
  const { createPostgresTestDatabase } = await import("@/lib/testing/test-database");
  const { createTestOrganization } = await import("@/lib/testing/factories");
  const { registerCluster } = await import("@/lib/clusters/register-cluster");
  const { postChunk, postCompletion } = await import("@/lib/ingest/testing/ingest-calls");
  const { runJobsUntilIdle } = await import("@/lib/jobs/job-runner");
  const { evaluateSnapshot } = await import("@/lib/ingest/evaluate-snapshot");

  let drop = async () => {};
  if (database === "postgres") {
    const created = await createPostgresTestDatabase(process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL!, "ramparts_bench");
    installDbHandle(connectPostgres(created.url, { max: 4 }));
    drop = created.drop;
  } else {
    installDbHandle(connectPGlite(await openEmbeddedDatabase("memory")));
  }
  const prisma = await db();
  try {
    const scope = await createTestOrganization(prisma);
    const { cluster, token } = await registerCluster({ scope, input: { name: "bench" } });
    const meta = JSON.parse(readFileSync(path.join(target!, "meta.json"), "utf8")) as { snapshotId: string };
    const chunkFiles = readdirSync(target!).filter((f) => /^chunk-\d+\.gz$/.test(f)).sort((a, b) => Number(a.slice(6, -3)) - Number(b.slice(6, -3)));
    const chunks = chunkFiles.map((f) => readFileSync(path.join(target!, f)));
    const completion = readFileSync(path.join(target!, "complete.gz"));
    const sha = (b: Buffer) => crypto.createHash("sha256").update(b).digest("hex");

    const started = performance.now();
    for (const [index, body] of chunks.entries()) {
      const answer = await postChunk(meta.snapshotId, index, body, { token: token.value, sha256: sha(body) });
      if (answer.status !== 201) throw new Error(`chunk ${index}: ${answer.status} ${JSON.stringify(answer.json)}`);
    }
    const done = await postCompletion(meta.snapshotId, completion, { token: token.value, sha256: sha(completion) });
    if (done.status !== 202) throw new Error(`completion: ${done.status} ${JSON.stringify(done.json)}`);
    const uploadMs = since(started);
    const jobStarted = performance.now();
    await runJobsUntilIdle(prisma);
    const visible = await scope.db.cluster.findUniqueOrThrow({ where: { id: cluster.id }, select: { latestSnapshotId: true } });
    const jobMs = since(jobStarted);
    const endToEndMs = since(started);
    if (visible.latestSnapshotId !== meta.snapshotId) throw new Error("the snapshot did not become the cluster's latest");
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    const findings = await scope.db.finding.count({ where: { snapshotId: meta.snapshotId } });
    const again = await evaluateSnapshot({ prisma, orgId: scope.orgId, snapshotId: meta.snapshotId, mode: "reevaluate" });
    process.stdout.write(`${JSON.stringify({ uploadMs, jobMs, endToEndMs, findings, chunks: chunks.length, compressedBytes: chunks.reduce((s, c) => s + c.length, 0), peakRssMb, breakdown: again.timings, firstEvaluation: jobTimings && { loadMs: jobTimings.loadMs, assembleMs: jobTimings.assembleMs, evaluateMs: jobTimings.evaluateMs, writeMs: jobTimings.writeMs } })}\n`);
  } finally {
    await closeDb();
    await drop();
  }
} else {
  console.error("usage: ingest-end-to-end-child.ts engine <snapshot.json> | ingest <dir> <pglite|postgres>");
  process.exit(2);
}
