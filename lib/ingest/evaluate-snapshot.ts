/**
 * The evaluation job's work: assemble a completed snapshot from its chunks, run the engine with
 * the organization's exceptions in force, and store the findings, overall and per-layer scores,
 * the summary and the diff against the previous snapshot, the cluster's latest state and the
 * day's score, all in one transaction. Findings are written while the engine runs, and only what
 * changed since the cluster's previous snapshot (finding rows span snapshots:
 * lib/ingest/snapshot-findings-writer.ts). The snapshot becomes visible (READY, and the cluster's
 * latest) only when that transaction commits; a failure anywhere leaves nothing.
 *
 * The same function evaluates the cluster's latest snapshot again after exceptions changed
 * ("reevaluate"): its rows' statuses and its scores change in one transaction, so readers see old
 * or new, never half.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import type { PrismaClient, Prisma } from "@/lib/db/generated/prisma/client";
import { databaseRunsInProcess } from "@/lib/db/client";
import type { SnapshotStatus } from "@/lib/db/generated/prisma/enums";
import { inTenantTransaction, type TenantTx } from "@/lib/tenancy/tenant-db";
import { evaluateStepwise } from "@/lib/engine/evaluate/evaluate";
import { snapshotToEngineInput } from "@/lib/engine/inputs/snapshot-input";
import type { Finding, Report } from "@/lib/engine/report/report-types";
import type { ExceptionRule } from "@/lib/engine/exceptions/exception-rule";
import type { KubeObject } from "@/lib/snapshot/schema";
import { loadActiveExceptionRules } from "@/lib/exceptions/exception-rules";
import { assembleSnapshot, takeParsedChunks, type StoredChunk } from "./assemble-snapshot";
import { parsedChunkCache } from "./parsed-chunk-cache";
import { PIPELINED_IN_FLIGHT } from "./insert-findings";
import { prismaStatements, transactionConnection } from "@/lib/db/transaction-connection";
import { openFindingsPrefetch, readFingerprints, readOpenFindings, type Fingerprints, type OpenFindings } from "./open-findings";
import { SnapshotFindingsWriter, type SnapshotFindingsWriteResult } from "./snapshot-findings-writer";
import { SNAPSHOT_POSITION_SELECT, type SnapshotPosition } from "@/lib/findings/snapshot-membership";
import { buildSnapshotSummary, layerDetails, type SnapshotDiff } from "./snapshot-summary";

export type EvaluationMode = "ingest" | "reevaluate";

export interface EvaluateSnapshotOptions {
  prisma: PrismaClient;
  orgId: string;
  snapshotId: string;
  mode?: EvaluationMode;
  /** Evaluation time: exceptions are in force when unexpired at this time. Defaults to the clock. */
  now?: Date;
  /** Upper bound of the write transaction (large snapshots write tens of thousands of rows). */
  writeTimeoutMs?: number;
}

export interface EvaluationResult {
  snapshotId: string;
  outcome: "ready" | "skipped";
  /** Why nothing was done (already evaluated, expired, not complete). */
  skippedBecause?: string;
  score?: number;
  grade?: string;
  findingCount?: number;
  becameLatest?: boolean;
  /** Finding rows written: inserted (new), updated (content changed), ended (resolved). */
  rows?: { inserted: number; updated: number; ended: number };
  /**
   * Where the time went: `evaluateMs` is the engine's run, during which most findings are
   * inserted (on PostgreSQL); `writeMs` what follows until the commit, of which `insertFindingsMs`
   * is the wait for the findings still being inserted.
   */
  timings?: { loadMs: number; assembleMs: number; evaluateMs: number; writeMs: number; insertFindingsMs: number };
}

const ELIGIBLE: Record<EvaluationMode, readonly SnapshotStatus[]> = {
  ingest: ["QUEUED", "EVALUATING"],
  reevaluate: ["READY"],
};

interface SnapshotForEvaluation {
  id: string;
  clusterId: string;
  status: SnapshotStatus;
  header: Prisma.JsonValue;
  collectedAt: Date | null;
  receivedAt: Date;
  completedAt: Date | null;
}

/** The READY snapshot of the cluster collected just before this one (the diff's base). */
async function previousSnapshot(tx: TenantTx, s: SnapshotForEvaluation): Promise<(SnapshotPosition & { score: number | null }) | null> {
  const collectedAt = s.collectedAt ?? s.receivedAt;
  return tx.snapshot.findFirst({
    where: {
      clusterId: s.clusterId,
      status: "READY",
      id: { not: s.id },
      OR: [{ collectedAt: { lt: collectedAt } }, { collectedAt, receivedAt: { lt: s.receivedAt } }],
    },
    orderBy: [{ collectedAt: "desc" }, { receivedAt: "desc" }],
    select: { ...SNAPSHOT_POSITION_SELECT, score: true },
  });
}

/** True when no other READY snapshot of the cluster was collected after this one. */
async function isLatest(tx: TenantTx, s: SnapshotForEvaluation): Promise<boolean> {
  const collectedAt = s.collectedAt ?? s.receivedAt;
  const newer = await tx.snapshot.findFirst({
    where: {
      clusterId: s.clusterId,
      status: "READY",
      id: { not: s.id },
      OR: [{ collectedAt: { gt: collectedAt } }, { collectedAt, receivedAt: { gt: s.receivedAt } }],
    },
    select: { id: true },
  });
  return newer === null;
}

export async function evaluateSnapshot(options: EvaluateSnapshotOptions): Promise<EvaluationResult> {
  const { prisma, orgId, snapshotId } = options;
  const mode = options.mode ?? "ingest";
  const now = options.now ?? new Date();
  const ctx = { orgId, userId: null };
  const started = performance.now();

  const loaded = await inTenantTransaction(
    prisma,
    ctx,
    async (tx) => {
      const snapshot = await tx.snapshot.findFirst({
        where: { id: snapshotId, orgId },
        select: { id: true, clusterId: true, status: true, header: true, collectedAt: true, receivedAt: true, completedAt: true },
      });
      if (!snapshot) return { skip: "the snapshot no longer exists" } as const;
      if (!ELIGIBLE[mode].includes(snapshot.status)) return { skip: `the snapshot is ${snapshot.status.toLowerCase()}` } as const;
      if (mode === "ingest" && snapshot.status === "QUEUED") await tx.snapshot.update({ where: { id: snapshotId }, data: { status: "EVALUATING" } });
      const listed = await tx.snapshotChunk.findMany({ where: { snapshotId }, select: { index: true, sha256: true }, orderBy: { index: "asc" } });
      // Chunks parsed at upload by this process need no bytes; the others are read and parsed again.
      const parsed = takeParsedChunks(parsedChunkCache, snapshotId, listed);
      const unparsed = listed.filter((c) => !parsed.has(c.index)).map((c) => c.index);
      const bodies = unparsed.length > 0 ? await tx.snapshotChunk.findMany({ where: { snapshotId, index: { in: unparsed } }, select: { index: true, sha256: true, body: true } }) : [];
      const chunks = [...listed.filter((c) => parsed.has(c.index)), ...bodies];
      const rules = await loadActiveExceptionRules(tx, { orgId, clusterId: snapshot.clusterId, now });
      return { snapshot, source: { chunks, parsed }, rules, exceptionIds: new Set(rules.map((r) => r.id!)) };
    },
    { timeoutMs: 120_000 },
  );
  if ("skip" in loaded) return { snapshotId, outcome: "skipped", skippedBecause: loaded.skip };
  const loadedAt = performance.now();

  // One transaction from the lock to the commit: the engine hands over each check's findings and
  // PostgreSQL writes them while the engine runs the next checks (two cores: Node evaluates,
  // PostgreSQL writes). A failure anywhere rolls everything back.
  const clusterId = loaded.snapshot.clusterId;
  const overlap = !databaseRunsInProcess(prisma);
  const written = await inTenantTransaction(
    prisma,
    ctx,
    async (tx) => {
      const [locked] = await tx.$queryRaw<{ status: SnapshotStatus; seq: number | null }[]>`SELECT status::text AS status, seq FROM "Snapshot" WHERE id = ${snapshotId}::uuid FOR UPDATE`;
      if (!locked || !ELIGIBLE[mode].includes(locked.status)) return { skip: "the snapshot changed while it was evaluated" } as const;
      // One evaluation of a cluster at a time: its chain of snapshots has one head.
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(${CHAIN_LOCK}::int, hashtext(${clusterId}))::text`;
      const headRow = (await tx.cluster.findUnique({ where: { id: clusterId }, select: { latestSnapshot: { select: { id: true, evaluationCount: true } } } }))?.latestSnapshot ?? null;
      const head = headRow?.id ?? null;
      const previous = await previousSnapshot(tx, loaded.snapshot);
      const chain = await chainPosition(tx, { mode, snapshotId, clusterId, seq: locked.seq, head, latest: await isLatest(tx, loaded.snapshot) });
      if ("skip" in chain) return chain;
      if (mode === "reevaluate") await tx.snapshotLayerScore.deleteMany({ where: { snapshotId } });
      // The open rows the snapshot continues (usually read while it was uploaded), and the previous snapshot's fingerprints ("new").
      let open: OpenFindings | null = null;
      if (chain.continues) open = (mode === "ingest" ? await openFindingsPrefetch.take(orgId, clusterId, headRow!) : null) ?? (await readOpenFindings(tx, clusterId));
      const previousFingerprints: Fingerprints | null = !previous ? null : open && mode === "ingest" && previous.id === head ? open : await readFingerprints(tx, previous);
      // PostgreSQL: the transaction's own connection, pipelined (every batch on the wire as soon as it is encoded).
      const connection = await transactionConnection(prisma, tx);
      const writer = new SnapshotFindingsWriter(
        connection?.run ?? prismaStatements(tx),
        { orgId, clusterId, snapshotId, firstSeq: chain.seq ?? 0, endSeq: chain.seq === null ? 0 : null, exceptionIds: loaded.exceptionIds },
        open,
        previousFingerprints,
        { inFlight: connection ? PIPELINED_IN_FLIGHT : undefined },
      );
      let engine: EngineRun;
      let rows: SnapshotFindingsWriteResult;
      let evaluatedAt: number;
      let details: ReturnType<typeof layerDetails>;
      try {
        if (overlap) {
          engine = await runEngine(loaded.snapshot.header, loaded.source, { now, rules: loaded.rules }, (findings) => writer.add(findings));
        } else {
          // The embedded database works on this thread: nothing overlaps, so the engine runs
          // through, and the snapshot's objects are garbage before the insert allocates.
          engine = await runEngine(loaded.snapshot.header, loaded.source, { now, rules: loaded.rules });
          writer.add(engine.report.findings);
        }
        evaluatedAt = performance.now();
        // The last statements go out now; Node's own part of the summary is done while PostgreSQL runs them.
        const finishing = writer.finish();
        details = layerDetails(engine.report);
        rows = await finishing;
      } finally {
        await writer.settle();
        connection?.release();
      }
      const insertFindingsMs = performance.now() - evaluatedAt;
      const { report, facts } = engine;
      const diff: SnapshotDiff = {
        previousSnapshotId: previous?.id ?? null,
        previousScore: previous?.score ?? null,
        scoreDelta: previous?.score != null ? report.score - previous.score : null,
        newFindings: rows.newCount,
        resolvedFindings: rows.resolvedCount,
      };
      await tx.snapshotLayerScore.createMany({
        data: report.layers.map((layer) => ({
          snapshotId,
          orgId,
          layer: layer.id,
          score: layer.score,
          grade: layer.grade,
          coverage: layer.coverage,
          detail: details.get(layer.id) as unknown as Prisma.InputJsonObject,
        })),
      });
      await tx.snapshot.update({
        where: { id: snapshotId },
        data: {
          status: "READY",
          score: report.score,
          grade: report.grade,
          coverage: report.coverage.ratio,
          summary: buildSnapshotSummary(report, diff) as unknown as Prisma.InputJsonObject,
          evaluatedAt: now,
          previousSnapshotId: previous?.id ?? null,
          seq: chain.seq,
          error: null,
          evaluationCount: { increment: 1 },
        },
      });
      const latest = chain.latest;
      await updateCluster(tx, loaded.snapshot, facts, latest);
      await upsertDailyScore(tx, { orgId, snapshot: loaded.snapshot, report });
      return { latest, report, assembledAt: engine.assembledAt, evaluatedAt, insertFindingsMs, rows: { inserted: rows.inserted, updated: rows.updated, ended: rows.ended } };
    },
    { timeoutMs: options.writeTimeoutMs ?? 600_000 },
  );
  if ("skip" in written) return { snapshotId, outcome: "skipped", skippedBecause: written.skip };
  const writtenAt = performance.now();
  const { report } = written;

  return {
    snapshotId,
    outcome: "ready",
    score: report.score,
    grade: report.grade,
    findingCount: report.findings.length,
    becameLatest: written.latest,
    rows: written.rows,
    timings: {
      loadMs: Math.round(loadedAt - started),
      assembleMs: Math.round(written.assembledAt - loadedAt),
      evaluateMs: Math.round(written.evaluatedAt - written.assembledAt),
      writeMs: Math.round(writtenAt - written.evaluatedAt),
      insertFindingsMs: Math.round(written.insertFindingsMs),
    },
  };
}

/** Advisory lock class of a cluster's evaluations (with the cluster id's hash). */
const CHAIN_LOCK = 0x52414d50;

/**
 * Where the evaluated snapshot goes in its cluster's chain (lib/findings/snapshot-membership.ts):
 * the latest snapshot becomes the head (the next seq) and continues the open rows of the previous
 * head, if any; a snapshot collected before the cluster's latest is detached (rows of its own);
 * a re-evaluation keeps its place, which only the head's can.
 */
async function chainPosition(
  tx: TenantTx,
  s: { mode: EvaluationMode; snapshotId: string; clusterId: string; seq: number | null; head: string | null; latest: boolean },
): Promise<{ seq: number | null; continues: boolean; latest: boolean } | { skip: string }> {
  if (s.mode === "reevaluate") {
    if (s.seq === null) {
      // A detached snapshot (or one from before chains): its rows are its own, written again.
      await tx.$executeRaw`DELETE FROM "Finding" WHERE "clusterId" = ${s.clusterId} AND "snapshotId" = ${s.snapshotId}::uuid AND "endSeq" = 0`;
      return { seq: null, continues: false, latest: s.latest };
    }
    if (s.head !== s.snapshotId) return { skip: "only the cluster's latest snapshot is evaluated again" };
    return { seq: s.seq, continues: true, latest: true };
  }
  if (!s.latest) return { seq: null, continues: false, latest: false };
  const [{ next }] = (await tx.$queryRaw<{ next: number }[]>`SELECT coalesce(max(seq), 0) + 1 AS next FROM "Snapshot" WHERE "clusterId" = ${s.clusterId}`) as [{ next: number }];
  // No head, yet open rows: the head was deleted by hand. They belonged to the snapshots before; they end here.
  if (s.head === null) await tx.$executeRaw`UPDATE "Finding" SET "endSeq" = ${next} WHERE "clusterId" = ${s.clusterId} AND "endSeq" IS NULL`;
  return { seq: next, continues: s.head !== null, latest: true };
}

/** What the cluster row takes from its latest snapshot. */
interface SnapshotFacts {
  agentVersion: string;
  schemaVersion: string;
  kubernetesVersion: string;
  provider: string;
}

interface EngineRun {
  report: Report;
  facts: SnapshotFacts;
  assembledAt: number;
}

/**
 * Assembles the snapshot and runs the engine, handing each check's findings to `onFindings` (if
 * given) and yielding to the event loop between checks, so the statements inserting them travel while
 * the engine goes on. Only the report and a few facts leave this function: the snapshot's
 * objects (most of the heap) are garbage once it returns.
 */
async function runEngine(header: unknown, source: { chunks: StoredChunk[]; parsed: Map<number, KubeObject[]> }, options: { now: Date; rules: ExceptionRule[] }, onFindings?: (findings: readonly Finding[]) => void): Promise<EngineRun> {
  const assembled = assembleSnapshot(header, source.chunks, { parsed: source.parsed });
  source.parsed.clear();
  source.chunks.length = 0;
  const assembledAt = performance.now();
  // Coverage is dropped for a snapshot built from files (a closed world): see snapshotToEngineInput.
  const steps = evaluateStepwise(snapshotToEngineInput(assembled), { now: options.now, exceptions: options.rules });
  let step = steps.next();
  while (!step.done) {
    if (onFindings) {
      onFindings(step.value.findings);
      // A turn of the event loop between checks: finished statements hand the connection the next one.
      await nextTurn();
    }
    step = steps.next();
  }
  const facts = { agentVersion: assembled.agent.version, schemaVersion: assembled.schemaVersion, kubernetesVersion: assembled.cluster.kubernetesVersion, provider: assembled.cluster.provider.name };
  return { report: step.value, facts, assembledAt };
}

async function updateCluster(tx: TenantTx, s: SnapshotForEvaluation, facts: SnapshotFacts, latest: boolean): Promise<void> {
  const seenAt = s.completedAt ?? s.receivedAt;
  await tx.$executeRaw`UPDATE "Cluster" SET "lastSeenAt" = GREATEST(coalesce("lastSeenAt", ${seenAt}), ${seenAt}), "updatedAt" = now() WHERE id = ${s.clusterId}`;
  if (!latest) return;
  await tx.cluster.update({
    where: { id: s.clusterId },
    data: { latestSnapshotId: s.id, ...facts },
  });
}

/** The day's row holds the last snapshot collected that day (UTC). */
async function upsertDailyScore(tx: TenantTx, args: { orgId: string; snapshot: SnapshotForEvaluation; report: Report }): Promise<void> {
  const collectedAt = args.snapshot.collectedAt ?? args.snapshot.receivedAt;
  const day = collectedAt.toISOString().slice(0, 10);
  const layers = JSON.stringify(args.report.layers.map((l) => ({ id: l.id, score: l.score, grade: l.grade })));
  await tx.$executeRaw`
    INSERT INTO "DailyScore" ("orgId", "clusterId", day, score, grade, coverage, layers, "snapshotId", "collectedAt")
    VALUES (${args.orgId}, ${args.snapshot.clusterId}, ${day}::date, ${args.report.score}, ${args.report.grade}, ${args.report.coverage.ratio}, ${layers}::jsonb, ${args.snapshot.id}::uuid, ${collectedAt})
    ON CONFLICT ("clusterId", day) DO UPDATE SET
      score = EXCLUDED.score, grade = EXCLUDED.grade, coverage = EXCLUDED.coverage, layers = EXCLUDED.layers,
      "snapshotId" = EXCLUDED."snapshotId", "collectedAt" = EXCLUDED."collectedAt"
    WHERE "DailyScore"."collectedAt" <= EXCLUDED."collectedAt"`;
}

/** After the last attempt: the snapshot shows as failed (with a short reason), never as half-evaluated. */
export async function markEvaluationFailed(options: { prisma: PrismaClient; orgId: string; snapshotId: string; error: unknown }): Promise<void> {
  const message = options.error instanceof Error ? options.error.message : String(options.error);
  await inTenantTransaction(options.prisma, { orgId: options.orgId, userId: null }, (tx) =>
    tx.snapshot.updateMany({
      where: { id: options.snapshotId, orgId: options.orgId, status: { in: ["QUEUED", "EVALUATING"] } },
      data: { status: "FAILED", error: `Evaluation failed: ${message}`.slice(0, 500) },
    }),
  );
}
