/**
 * Dashboard benchmark: the cluster page of a cluster whose latest snapshot has 50,000+ findings,
 * served by the production build (`next start`) on PostgreSQL, under 20 concurrent users.
 *
 * Everything is real: a fresh database from the migrations; a user, an organization and a cluster
 * made by the domain functions; a database session whose cookie the load generator sends; two
 * synthetic snapshots (bench/synthetic-cluster.ts) pushed over HTTP through the ingest routes and
 * evaluated by the app's own job runner (the previous one makes "what changed" non-trivial). The
 * load generator runs N users on undici keep-alive connections; each user requests the
 * server-rendered page, reads it for a second (think time), and requests it again. Each answer is
 * checked (200, and the page's findings total in the HTML).
 *
 * Scenarios, 20 users each: the page as opened (the target: p95 < 300 ms), a filtered search, a
 * deep keyset page (the middle of the 50,000), for capacity the page requested back to back with no
 * think time (a closed loop: as many pages per second as the server can render), and the page with
 * "Accept-Encoding: gzip" so that Next's built-in compression runs too (without it, the app's own
 * work is measured: in production a proxy in front usually compresses).
 *
 * Needs a production build (`npm run build`) and PostgreSQL: BENCH_DATABASE_URL or
 * TEST_DATABASE_URL (a local superuser connection), else postgresql://postgres@127.0.0.1:5432/postgres.
 * From bench/run.ts: import { dashboardBench } from "./dashboard-cluster-page" (a BenchModule).
 * Alone: npx tsx bench/dashboard-cluster-page.ts [findings=50000] [users=20] [seconds=20] [think-ms=1000]
 */
import crypto from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { gunzipSync } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { Pool } from "undici";
import type { BenchModule, BenchOutcome } from "./bench-module";
import { buildSyntheticSnapshot } from "./synthetic-cluster";
import { packSnapshot, type PackedSnapshot } from "@/lib/ingest/pack-snapshot";
import { connectPostgres } from "@/lib/db/client";
import { createPostgresTestDatabase } from "@/lib/testing/test-database";
import { createOrganization } from "@/lib/tenancy/create-organization";
import { resolveTenantScope } from "@/lib/tenancy/resolve-membership";
import { registerCluster } from "@/lib/clusters/register-cluster";
import { sha256Hex } from "@/lib/security/hash-token";
import { encodeCursor } from "@/lib/findings/finding-filters";
import { findingsOf } from "@/lib/testing/snapshot-findings";
import { SERVER_NODE_FLAGS } from "@/lib/config/server-node-flags";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..");

export const TARGET_P95_MS = 300;
/** Findings per synthetic object, measured on bench/synthetic-cluster.ts (12,103 findings at 10,000 objects). */
const FINDINGS_PER_OBJECT = 1.2;

export interface LatencyStats {
  requests: number;
  errors: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface DashboardBenchResult {
  thinkMs: number;
  findings: number;
  previousFindings: number;
  objects: number;
  concurrency: number;
  seconds: number;
  seedSeconds: number;
  /** The page as opened: bytes of HTML (uncompressed) and the pieces the response arrived in. */
  pageBytes: number;
  pageChunks: number;
  scenarios: { name: string; path: string; thinkMs: number; stats: LatencyStats; ok: boolean | null }[];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function waitForHealthy(url: string, server: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the app exited with code ${server.exitCode} before it was ready`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the app did not become healthy at ${url} within ${timeoutMs} ms`);
}

async function freePort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Pushes a packed snapshot as the agent does: every chunk, then the completion. */
async function push(baseUrl: string, token: string, packed: PackedSnapshot): Promise<void> {
  const send = async (url: string, body: Buffer, key: string) => {
    const response = await fetch(`${baseUrl}${url}`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        "content-encoding": "gzip",
        "idempotency-key": key,
        "x-ramparts-agent-version": "0.1.0",
        "x-ramparts-schema-version": "1.0",
        "x-ramparts-content-sha256": crypto.createHash("sha256").update(body).digest("hex"),
        "user-agent": "ramparts-agent/0.1.0 (bench)",
      },
      body: new Uint8Array(body),
    });
    if (response.status >= 300) throw new Error(`ingest ${url} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  };
  for (const chunk of packed.chunks) await send(`/api/ingest/v1/snapshots/${packed.snapshotId}/chunks/${chunk.index}`, chunk.body, `${packed.snapshotId}:${chunk.index}`);
  await send(`/api/ingest/v1/snapshots/${packed.snapshotId}/complete`, packed.completionBody, `${packed.snapshotId}:complete`);
}

/** N clients in a closed loop for `seconds`; every answer must be a 200 carrying `expect`. */
async function load(pool: Pool, options: { path: string; cookie: string; concurrency: number; seconds: number; expect: string; thinkMs: number; gzip?: boolean }): Promise<LatencyStats> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const deadline = Date.now() + options.seconds * 1000;
  const started = Date.now();
  const client = async (index: number) => {
    // Users arrive spread over one think time, not all in the same millisecond.
    if (options.thinkMs > 0) await new Promise((r) => setTimeout(r, (index * options.thinkMs) / options.concurrency));
    while (Date.now() < deadline) {
      const t = process.hrtime.bigint();
      try {
        // With gzip, as a browser asks: then the app compresses (Next's built-in compression) and we inflate to check.
        const response = await pool.request({ path: options.path, method: "GET", headers: { cookie: options.cookie, accept: "text/html", ...(options.gzip ? { "accept-encoding": "gzip" } : {}) } });
        const raw = Buffer.from(await response.body.arrayBuffer());
        const body = response.headers["content-encoding"] === "gzip" ? gunzipSync(raw).toString("utf8") : raw.toString("utf8");
        const ms = Number(process.hrtime.bigint() - t) / 1e6;
        if (response.statusCode !== 200 || !body.includes(options.expect)) {
          errors++;
          firstError ??= `status ${response.statusCode}, ${body.includes(options.expect) ? "" : `no "${options.expect}" in the page`}`;
        } else latencies.push(ms);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
      if (options.thinkMs > 0) await new Promise((r) => setTimeout(r, options.thinkMs));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, i) => client(i)));
  const elapsed = (Date.now() - started) / 1000;
  if (errors > 0 && latencies.length === 0) throw new Error(`every request failed (${firstError})`);
  const sorted = latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n);
  return {
    requests: latencies.length,
    errors,
    perSecond: Math.round((latencies.length / elapsed) * 10) / 10,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? 0),
  };
}

export async function runDashboardBenchmark(options: { findings?: number; concurrency?: number; seconds?: number; thinkMs?: number; log?: (line: string) => void } = {}): Promise<DashboardBenchResult> {
  const log = options.log ?? ((line: string) => console.error(line));
  const targetFindings = options.findings ?? 50_000;
  const concurrency = options.concurrency ?? 20;
  const seconds = options.seconds ?? 20;
  const thinkMs = options.thinkMs ?? 1000;
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("no production build: run `npm run build` first");
  const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

  const seedStarted = Date.now();
  const database = await createPostgresTestDatabase(adminUrl, "ramparts_bench");
  const handle = connectPostgres(database.url, { max: 2 });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "ramparts-bench-dashboard-"));
  let server: ChildProcess | undefined;
  const pool: { current?: Pool } = {};
  try {
    const prisma = handle.prisma;
    const user = await prisma.user.create({ data: { email: `bench-${crypto.randomBytes(4).toString("hex")}@example.test`, emailVerified: new Date() } });
    const org = await createOrganization({ prisma, userId: user.id, input: { name: "Bench", slug: `bench-${crypto.randomBytes(3).toString("hex")}` } });
    const scope = await resolveTenantScope(prisma, user.id, org.slug);
    const { cluster, token } = await registerCluster({ scope, input: { name: "bench-50k", environment: "production" } });
    // A real database session, as next-auth stores it (only the digest), sent as its cookie.
    const sessionToken = crypto.randomBytes(32).toString("base64url");
    await prisma.session.create({ data: { sessionTokenHash: sha256Hex(sessionToken), userId: user.id, expires: new Date(Date.now() + 86_400_000) } });
    const cookie = `next-auth.session-token=${sessionToken}`;

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const nextBin = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
    // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the server there when it stops.
    const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    server = spawn(process.execPath, [...profile, ...SERVER_NODE_FLAGS, nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: "production",
        RAMPARTS_MODE: "test",
        DATABASE_URL: database.url,
        APP_URL: baseUrl,
        NEXTAUTH_URL: baseUrl,
        NEXTAUTH_SECRET: crypto.randomBytes(32).toString("base64url"),
        // Never used here (no sign-in mail): the session exists already.
        SMTP_URL: "smtp://127.0.0.1:9",
        RAMPARTS_DATA_DIR: dataDir,
        LOG_LEVEL: "warn",
        INGEST_RATE_LIMIT_PER_MINUTE: "100000",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    await waitForHealthy(baseUrl, server);

    const objects = Math.ceil(targetFindings / FINDINGS_PER_OBJECT) + 500;
    const waitVisible = async (snapshotId: string) => {
      const deadline = Date.now() + 600_000;
      while (Date.now() < deadline) {
        const row = await scope.db.cluster.findFirstOrThrow({ where: { id: cluster.id }, select: { latestSnapshotId: true } });
        if (row.latestSnapshotId === snapshotId) return;
        const failed = await scope.db.snapshot.findFirst({ where: { id: snapshotId, status: "FAILED" }, select: { error: true } });
        if (failed) throw new Error(`snapshot evaluation failed: ${failed.error}`);
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new Error("the snapshot did not become visible within 10 minutes");
    };
    for (const [label, count, collectedAt] of [
      ["previous", Math.round(objects * 0.9), new Date(Date.now() - 3600_000)],
      ["latest", objects, new Date()],
    ] as const) {
      const snapshot = { ...buildSyntheticSnapshot(count), collectedAt: collectedAt.toISOString() };
      const packed = packSnapshot(snapshot);
      log(`  pushing the ${label} snapshot: ${snapshot.objects.length.toLocaleString("en-US")} objects in ${packed.chunks.length} chunks`);
      await push(baseUrl, token.value, packed);
      await waitVisible(packed.snapshotId);
    }
    const latest = await scope.db.cluster.findFirstOrThrow({ where: { id: cluster.id }, select: { latestSnapshotId: true } });
    const snapshotId = latest.latestSnapshotId!;
    const findings = await scope.db.finding.count({ where: await findingsOf(scope, snapshotId) });
    const previous = await scope.db.snapshot.findFirstOrThrow({ where: { id: snapshotId }, select: { previousSnapshotId: true } });
    const previousFindings = previous.previousSnapshotId ? await scope.db.finding.count({ where: await findingsOf(scope, previous.previousSnapshotId) }) : 0;
    if (findings < targetFindings) throw new Error(`the latest snapshot has ${findings} findings, fewer than the ${targetFindings} asked for`);
    const deep = await scope.db.finding.findFirstOrThrow({ where: await findingsOf(scope, snapshotId), orderBy: [{ severity: "asc" }, { id: "asc" }], skip: Math.floor(findings / 2), select: { id: true, severity: true } });
    // Steady state, not the seeding's aftermath: write the inserted rows out now rather than during a measurement.
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query("CHECKPOINT").finally(() => admin.end());
    const seedSeconds = Math.round((Date.now() - seedStarted) / 1000);
    log(`  seeded in ${seedSeconds} s: ${findings.toLocaleString("en-US")} findings in the latest snapshot, ${previousFindings.toLocaleString("en-US")} in the previous one`);

    const page = `/o/${org.slug}/clusters/${cluster.id}`;
    const opened = `${findings.toLocaleString("en-US")} findings`;
    // Capacity first: its thousand back-to-back renders also leave the server warm (JIT, pools) for the rest.
    const scenarios = [
      { name: "capacity: back to back", path: page, expect: opened, thinkMs: 0, target: false },
      { name: "cluster page as opened", path: page, expect: opened, thinkMs, target: true },
      { name: "filtered and searched", path: `${page}?severity=HIGH&q=team-001`, expect: "match these filters", thinkMs, target: false },
      { name: "deep keyset page", path: `${page}?cursor=${encodeCursor(deep.severity, deep.id)}&page=500`, expect: "page 500", thinkMs, target: false },
      { name: "as opened, app gzips", path: page, expect: opened, thinkMs, target: false, gzip: true },
    ];
    pool.current = new Pool(baseUrl, { connections: concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
    // The page's weight as the browser gets it: bytes, and how many pieces the stream arrived in.
    const sample = await pool.current.request({ path: page, method: "GET", headers: { cookie, accept: "text/html" } });
    let pageBytes = 0;
    let pageChunks = 0;
    const pieces: Buffer[] = [];
    for await (const piece of sample.body) {
      pieces.push(piece as Buffer);
      pageBytes += (piece as Buffer).length;
      pageChunks++;
    }
    // BENCH_SAVE_PAGE=<file> keeps that page, to see what it weighs.
    if (process.env.BENCH_SAVE_PAGE) writeFileSync(process.env.BENCH_SAVE_PAGE, Buffer.concat(pieces));
    const results: DashboardBenchResult["scenarios"] = [];
    for (const scenario of scenarios) {
      // Warm-up: the first renders compile nothing (production build) but fill caches, pools and the JIT.
      await load(pool.current, { path: scenario.path, cookie, concurrency: 4, seconds: 4, expect: scenario.expect, thinkMs: 0 });
      log(`  ${scenario.name}: ${concurrency} users for ${seconds} s${scenario.thinkMs ? `, ${scenario.thinkMs} ms think time` : ", no think time"}`);
      const stats = await load(pool.current, { path: scenario.path, cookie, concurrency, seconds, expect: scenario.expect, thinkMs: scenario.thinkMs, gzip: scenario.gzip ?? false });
      results.push({ name: scenario.name, path: scenario.path.replace(page, "/o/<org>/clusters/<id>"), thinkMs: scenario.thinkMs, stats, ok: scenario.target ? stats.p95 < TARGET_P95_MS && stats.errors === 0 : null });
    }
    return { thinkMs, findings, previousFindings, objects, concurrency, seconds, seedSeconds, pageBytes, pageChunks, scenarios: results };
  } finally {
    await pool.current?.close().catch(() => {});
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server!.once("exit", r));
    }
    await handle.close();
    await database.drop().catch(() => {});
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function formatLines(r: DashboardBenchResult): string[] {
  const header = ["scenario", "think ms", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "target"];
  const rows = r.scenarios.map((s) => [s.name, String(s.thinkMs), String(s.stats.requests), String(s.stats.errors), String(s.stats.perSecond), String(s.stats.p50), String(s.stats.p95), String(s.stats.p99), String(s.stats.max), s.ok === null ? "-" : s.ok ? `met (< ${TARGET_P95_MS})` : `MISSED (< ${TARGET_P95_MS})`]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [
    `${r.findings.toLocaleString("en-US")} findings on the page's cluster (previous snapshot ${r.previousFindings.toLocaleString("en-US")}), ${r.concurrency} concurrent users, ${r.seconds} s per scenario, production build on PostgreSQL`,
    `the page as opened: ${(r.pageBytes / 1024).toFixed(0)} KB of HTML in ${r.pageChunks} pieces`,
    line(header),
    ...rows.map(line),
  ];
}

export const dashboardBench: BenchModule = {
  name: "dashboard",
  description: "the cluster page with 50,000 findings under 20 concurrent users (production build, PostgreSQL)",
  async run({ log }): Promise<BenchOutcome> {
    const result = await runDashboardBenchmark({ log });
    return { ok: result.scenarios.every((s) => s.ok !== false), lines: formatLines(result), data: result };
  },
};

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [findings, concurrency, seconds, thinkMs] = process.argv.slice(2).map(Number);
  const result = await runDashboardBenchmark({ findings: findings || undefined, concurrency: concurrency || undefined, seconds: seconds || undefined, thinkMs: Number.isFinite(thinkMs) ? thinkMs : undefined });
  console.log(formatLines(result).join("\n"));
  process.exitCode = result.scenarios.every((s) => s.ok !== false) ? 0 : 1;
}
