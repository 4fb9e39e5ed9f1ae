/**
 * What each job does: validate the payload, call one domain function. Evaluation failures are
 * retried by the queue (with backoff); after the last attempt the snapshot is marked failed.
 */
import type { JobHelpers, Task, TaskList } from "graphile-worker";
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import { settings } from "@/lib/config/settings";
import { logger } from "@/lib/observability/logger";
import { evaluateSnapshot, markEvaluationFailed } from "@/lib/ingest/evaluate-snapshot";
import { reevaluateCluster } from "@/lib/ingest/reevaluate-cluster";
import { applyRetention } from "@/lib/retention/apply-retention";
import { JOB_PAYLOADS, type JobName } from "./job-payloads";

function isLastAttempt(helpers: JobHelpers): boolean {
  return helpers.job.attempts >= helpers.job.max_attempts;
}

export function buildTaskList(prisma: PrismaClient): TaskList {
  const tasks: Record<JobName, Task> = {
    "evaluate-snapshot": async (raw, helpers) => {
      const payload = JOB_PAYLOADS["evaluate-snapshot"].parse(raw);
      try {
        const result = await evaluateSnapshot({ prisma, ...payload });
        logger.info("job.evaluate_snapshot", { snapshotId: payload.snapshotId, outcome: result.outcome, skipped: result.skippedBecause, score: result.score, findings: result.findingCount, rows: result.rows, ...result.timings });
      } catch (error) {
        logger.error("job.evaluate_snapshot_failed", { snapshotId: payload.snapshotId, attempt: helpers.job.attempts, error: error instanceof Error ? error : String(error) });
        if (isLastAttempt(helpers)) await markEvaluationFailed({ prisma, ...payload, error });
        throw error;
      }
    },
    "reevaluate-cluster": async (raw) => {
      const payload = JOB_PAYLOADS["reevaluate-cluster"].parse(raw);
      const result = await reevaluateCluster({ prisma, ...payload });
      logger.info("job.reevaluate_cluster", { clusterId: payload.clusterId, outcome: result?.outcome ?? "no snapshot", score: result?.score });
    },
    retention: async () => {
      const result = await applyRetention({ prisma, retentionDays: settings().retentionDays });
      logger.info("job.retention", { ...result });
    },
    "expire-incomplete-snapshots": async () => {
      const result = await applyRetention({ prisma, retentionDays: settings().retentionDays, only: "incomplete" });
      if (result.incompleteSnapshotsDeleted > 0) logger.info("job.expire_incomplete_snapshots", { ...result });
    },
  };
  return tasks;
}
