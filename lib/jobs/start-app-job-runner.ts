/**
 * The job runner of a server process (started from instrumentation.ts, once per process) or of
 * `npm run worker`. With JOB_RUNNER=off the web server leaves jobs to separate worker processes.
 */
import { settings } from "@/lib/config/settings";
import { db } from "@/lib/db/client";
import { logger } from "@/lib/observability/logger";
import { startJobRunner, type JobRunnerHandle } from "./job-runner";

const globalForRunner = globalThis as unknown as { rampartsJobRunner?: Promise<JobRunnerHandle | null> };

export function startAppJobRunner(options: { force?: boolean } = {}): Promise<JobRunnerHandle | null> {
  globalForRunner.rampartsJobRunner ??= (async () => {
    const config = settings();
    if (config.jobRunner === "off" && !options.force) {
      logger.info("worker.disabled", { reason: "JOB_RUNNER=off" });
      return null;
    }
    try {
      return await startJobRunner({ prisma: await db(), databaseUrl: config.databaseUrl, concurrency: config.jobConcurrency });
    } catch (error) {
      logger.error("worker.start_failed", { error: error instanceof Error ? error : String(error) });
      globalForRunner.rampartsJobRunner = undefined;
      return null;
    }
  })();
  return globalForRunner.rampartsJobRunner;
}

export async function stopAppJobRunner(): Promise<void> {
  const runner = await globalForRunner.rampartsJobRunner;
  globalForRunner.rampartsJobRunner = undefined;
  await runner?.stop();
}
