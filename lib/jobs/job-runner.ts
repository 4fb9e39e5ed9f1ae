/**
 * Starts the job queue's runner (graphile-worker) in this process. On PostgreSQL it has its own
 * small pool, as the application role, and LISTENs, so a completed snapshot is picked up at
 * once. On the embedded database it runs over the app's Prisma client and polls (PGlite is one
 * in-process session: no second connection to LISTEN on).
 */
import pg from "pg";
import { Logger, run, runOnce, type LogFunctionFactory, type Runner } from "graphile-worker";
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import { APP_ROLE } from "@/lib/db/embedded-database";
import { logger } from "@/lib/observability/logger";
import { prismaPgPool } from "./prisma-pg-pool";
import { buildTaskList } from "./task-list";
import { recurringJobs } from "./recurring-jobs";

export interface JobRunnerOptions {
  prisma: PrismaClient;
  /** PostgreSQL connection for the runner's own pool; unset: the embedded database through `prisma`. */
  databaseUrl?: string;
  concurrency?: number;
  /** How often to look for jobs when no notification arrives (embedded: the only way). */
  pollIntervalMs?: number;
  /** Run the daily and hourly jobs (retention). Default true. */
  schedule?: boolean;
}

export interface JobRunnerHandle {
  kind: "postgres" | "embedded";
  stop(): Promise<void>;
  /** Resolves when the runner stops (or rejects when it crashes). */
  done: Promise<void>;
}

const logFactory: LogFunctionFactory = (scope) => (level, message, meta) => {
  const fields: Record<string, unknown> = { scope: scope.label ?? "worker", ...(scope.workerId ? { workerId: scope.workerId } : {}), ...(scope.taskIdentifier ? { task: scope.taskIdentifier } : {}), ...(scope.jobId ? { jobId: String(scope.jobId) } : {}) };
  const error = meta && typeof meta === "object" && "error" in meta ? (meta as { error: unknown }).error : undefined;
  if (error instanceof Error) fields.error = error;
  const event = `worker.${level}`;
  if (level === "error" && !/^Failed task/.test(message)) logger.error(event, { message, ...fields });
  else if (level === "warning") logger.warn(event, { message, ...fields });
  // Its per-job "completed"/"failed" lines duplicate our own job.* events: keep them at debug.
  else logger.debug(event, { message, ...fields });
};
export const workerLogger = new Logger(logFactory);

export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunnerHandle> {
  const concurrency = options.concurrency ?? 1;
  let pool: pg.Pool | undefined;
  if (options.databaseUrl) {
    pool = new pg.Pool({ connectionString: options.databaseUrl, max: concurrency + 2, options: `-c role=${APP_ROLE}`, application_name: "ramparts-worker", idleTimeoutMillis: 30_000 });
    pool.on("error", (error) => logger.error("worker.pool_error", { error }));
  }
  const runner: Runner = await run({
    pgPool: pool ?? prismaPgPool(options.prisma, { max: concurrency + 1 }),
    concurrency,
    noHandleSignals: true,
    pollInterval: options.pollIntervalMs ?? (pool ? 2000 : 1000),
    logger: workerLogger,
    taskList: buildTaskList(options.prisma),
    parsedCronItems: options.schedule === false ? [] : recurringJobs(),
  });
  const done = runner.promise.finally(() => pool?.end().catch(() => {}));
  logger.info("worker.started", { kind: pool ? "postgres" : "embedded", concurrency });
  return {
    kind: pool ? "postgres" : "embedded",
    done,
    async stop() {
      await runner.stop();
      await done.catch(() => {});
    },
  };
}

/**
 * Runs every job that is due now, in this process, then returns: the demo seeder, tests and the
 * benchmark use it to evaluate synchronously through the real queue.
 */
export async function runJobsUntilIdle(prisma: PrismaClient): Promise<void> {
  await runOnce({ pgPool: prismaPgPool(prisma), concurrency: 1, noHandleSignals: true, logger: workerLogger, taskList: buildTaskList(prisma) });
}
