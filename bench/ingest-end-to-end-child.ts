/**
 * Child process of the ingest benchmark, so each side is measured in a clean heap like the
 * process it stands for:
 *   engine <snapshot.json>         what `ramparts scan snapshot.json` does: JSON.parse, snapshot
 *                                  validation, evaluate (cold), then a second (warm) evaluation
 *   ingest <dir> <pglite|postgres> an app process, fresh: the cluster's first snapshot (dir/first)
 *                                  end to end (every chunk and the completion through the route
 *                                  handlers, the job through the queue, until it is the cluster's
 *                                  latest); a timed re-evaluation of it (the breakdown after an
 *                                  exception change); then the cluster's next snapshot (dir/next:
 *                                  the same objects, collected an hour later, diffed against the
 *                                  first) end to end in the now running process
 * Prints one JSON line. CPU times count every thread of the process (JIT and GC helpers too) and,
 * on a local PostgreSQL, the database's backends for the benchmark's database (from /proc).
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { parseSnapshot, snapshotToEngineInput } from "@/lib/engine/inputs/snapshot-input";
import { evaluate } from "@/lib/engine/evaluate/evaluate";
import { findingsOf } from "@/lib/testing/snapshot-findings";

const [mode, target, database] = process.argv.slice(2);
const since = (t: number) => performance.now() - t;
const cpuMs = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
};

if (mode === "engine") {
  const text = readFileSync(target!, "utf8");
  let t = performance.now();
  const value: unknown = JSON.parse(text);
  const parseMs = since(t);
  t = performance.now();
  const snapshot = parseSnapshot(value, target!);
  const validateMs = since(t);
  const input = snapshotToEngineInput(snapshot);
  let cpu = process.cpuUsage();
  t = performance.now();
  const report = evaluate(input, { now: new Date() });
  const evaluateMs = since(t);
  const evaluateCpuMs = cpuMs(cpu);
  cpu = process.cpuUsage();
  t = performance.now();
  evaluate(input, { now: new Date() });
  const warmEvaluateMs = since(t);
  const warmEvaluateCpuMs = cpuMs(cpu);
  process.stdout.write(`${JSON.stringify({ parseMs, validateMs, evaluateMs, warmEvaluateMs, evaluateCpuMs, warmEvaluateCpuMs, findings: report.findings.length, score: report.score, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
} else if (mode === "ingest") {
  process.env.INGEST_RATE_LIMIT_PER_MINUTE = "100000";
  // The evaluation job logs its own timings (job.evaluate_snapshot): keep those lines, drop the rest.
  process.env.LOG_LEVEL = "info";
  const jobTimings: Record<string, unknown>[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    if (text.includes('"event":"job.evaluate_snapshot"')) jobTimings.push(JSON.parse(text) as Record<string, unknown>);
    if (text.startsWith('{"time"')) return true;
    return write(chunk as string, ...(rest as []));
  }) as typeof process.stdout.write;
  const pg = (await import("pg")).default;
  const { connectPGlite, connectPostgres, useDbHandle: installDbHandle, closeDb, db } = await import("@/lib/db/client");
  const { openEmbeddedDatabase } = await import("@/lib/db/embedded-database");
  const { createPostgresTestDatabase } = await import("@/lib/testing/test-database");
  const { createTestOrganization } = await import("@/lib/testing/factories");
  const { registerCluster } = await import("@/lib/clusters/register-cluster");
  const { postChunk, postCompletion } = await import("@/lib/ingest/testing/ingest-calls");
  const { runJobsUntilIdle } = await import("@/lib/jobs/job-runner");
  const { CHUNKS_IN_FLIGHT } = await import("@/lib/snapshot/protocol");
  const { evaluateSnapshot } = await import("@/lib/ingest/evaluate-snapshot");

  let drop = async () => {};
  /** CPU of the database's backends serving the benchmark's database, when they run on this machine. */
  let databaseCpuMs: () => Promise<number | null> = async () => null;
  if (database === "postgres") {
    const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL!;
    const created = await createPostgresTestDatabase(adminUrl, "ramparts_bench");
    installDbHandle(connectPostgres(created.url, { max: 4 }));
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const ticksPerMs = 100 / 1000; // USER_HZ
    databaseCpuMs = async () => {
      const { rows } = await admin.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE datname = $1", [created.name]);
      let ticks = 0;
      for (const { pid } of rows) {
        try {
          const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
          ticks += Number(fields[11]) + Number(fields[12]);
        } catch {
          return null;
        }
      }
      return ticks / ticksPerMs;
    };
    drop = async () => {
      await admin.end();
      await created.drop();
    };
  } else {
    installDbHandle(connectPGlite(await openEmbeddedDatabase("memory")));
  }
  const prisma = await db();
  const sha = (b: Buffer) => crypto.createHash("sha256").update(b).digest("hex");
  try {
    const scope = await createTestOrganization(prisma);
    const { cluster, token } = await registerCluster({ scope, input: { name: "bench" } });

    /** One snapshot as the agent pushes it, until it is the cluster's latest. */
    const ingest = async (dir: string) => {
      const meta = JSON.parse(readFileSync(path.join(dir, "meta.json"), "utf8")) as { snapshotId: string };
      const chunkFiles = readdirSync(dir).filter((f) => /^chunk-\d+\.gz$/.test(f)).sort((a, b) => Number(a.slice(6, -3)) - Number(b.slice(6, -3)));
      const chunks = chunkFiles.map((f) => readFileSync(path.join(dir, f)));
      const completion = readFileSync(path.join(dir, "complete.gz"));
      const timingsBefore = jobTimings.length;
      const dbCpuBefore = await databaseCpuMs();
      const cpu = process.cpuUsage();
      const started = performance.now();
      // As the agent uploads: in index order, CHUNKS_IN_FLIGHT at a time (agents/src/push/push-sink.ts).
      let next = 0;
      const uploader = async () => {
        while (next < chunks.length) {
          const index = next++;
          const body = chunks[index]!;
          const answer = await postChunk(meta.snapshotId, index, body, { token: token.value, sha256: sha(body) });
          if (answer.status !== 201) throw new Error(`chunk ${index}: ${answer.status} ${JSON.stringify(answer.json)}`);
        }
      };
      await Promise.all(Array.from({ length: CHUNKS_IN_FLIGHT }, uploader));
      const done = await postCompletion(meta.snapshotId, completion, { token: token.value, sha256: sha(completion) });
      if (done.status !== 202) throw new Error(`completion: ${done.status} ${JSON.stringify(done.json)}`);
      const uploadMs = since(started);
      const jobStarted = performance.now();
      await runJobsUntilIdle(prisma);
      const visible = await scope.db.cluster.findUniqueOrThrow({ where: { id: cluster.id }, select: { latestSnapshotId: true } });
      const jobMs = since(jobStarted);
      const endToEndMs = since(started);
      const appCpuMs = cpuMs(cpu);
      const dbCpuAfter = await databaseCpuMs();
      if (visible.latestSnapshotId !== meta.snapshotId) throw new Error("the snapshot did not become the cluster's latest");
      const timings = jobTimings.slice(timingsBefore).at(-1);
      const stored = await scope.db.snapshot.findUniqueOrThrow({ where: { id: meta.snapshotId }, select: { summary: true } });
      const diff = (stored.summary as { diff?: { newFindings: number; resolvedFindings: number } } | null)?.diff;
      return {
        snapshotId: meta.snapshotId,
        uploadMs,
        jobMs,
        endToEndMs,
        appCpuMs,
        databaseCpuMs: dbCpuBefore !== null && dbCpuAfter !== null ? dbCpuAfter - dbCpuBefore : null,
        findings: await scope.db.finding.count({ where: await findingsOf(scope, meta.snapshotId) }),
        newFindings: diff?.newFindings ?? null,
        resolvedFindings: diff?.resolvedFindings ?? null,
        chunks: chunks.length,
        compressedBytes: chunks.reduce((s, c) => s + c.length, 0),
        job: timings && { loadMs: timings.loadMs, assembleMs: timings.assembleMs, evaluateMs: timings.evaluateMs, writeMs: timings.writeMs, insertFindingsMs: timings.insertFindingsMs, rows: timings.rows },
      };
    };

    const first = await ingest(path.join(target!, "first"));
    const firstPeakRssMb = process.resourceUsage().maxRSS / 1024;
    const again = await evaluateSnapshot({ prisma, orgId: scope.orgId, snapshotId: first.snapshotId, mode: "reevaluate" });
    const next = await ingest(path.join(target!, "next"));
    process.stdout.write(`${JSON.stringify({ first, next, reevaluation: again.timings, peakRssMb: firstPeakRssMb })}\n`);
  } finally {
    await closeDb();
    await drop();
  }
} else {
  console.error("usage: ingest-end-to-end-child.ts engine <snapshot.json> | ingest <dir> <pglite|postgres>");
  process.exit(2);
}
