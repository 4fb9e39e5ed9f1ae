/**
 * Scheduled jobs, on graphile-worker's cron: each fire time is claimed once in the database
 * (graphile_worker._private_known_crontabs), so several runners never run one period twice,
 * and a runner that was down catches up within the backfill window. The job key makes a
 * period's job one job while it waits.
 */
import { parseCronItems, type ParsedCronItem } from "graphile-worker";

export function recurringJobs(): ParsedCronItem[] {
  return parseCronItems([
    // Daily at 03:17 UTC; missed days within the last one are caught up.
    { task: "retention", match: "17 3 * * *", identifier: "retention-daily", options: { backfillPeriod: 24 * 3600 * 1000, jobKey: "retention-daily", maxAttempts: 5 } },
    { task: "expire-incomplete-snapshots", match: "7 * * * *", identifier: "expire-incomplete-hourly", options: { backfillPeriod: 3600 * 1000, jobKey: "expire-incomplete-hourly", maxAttempts: 3 } },
  ]);
}
