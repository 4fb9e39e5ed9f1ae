/**
 * Runs once when the server starts: fail fast on bad configuration, tell next-auth its URL, and
 * start the job queue's runner (evaluation, retention) unless JOB_RUNNER=off.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { settings } = await import("./lib/config/settings");
  const config = settings();
  process.env.NEXTAUTH_URL ??= config.appUrl;
  if (process.env.NEXT_PHASE === "phase-production-build") return;
  const { startAppJobRunner, stopAppJobRunner } = await import("./lib/jobs/start-app-job-runner");
  // Not awaited: the server answers while the runner connects.
  void startAppJobRunner();
  // Stop taking jobs on shutdown, so an interrupted evaluation is not left locked.
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      // Next's own handler exits the process; without one, exit once the runner has stopped.
      const alone = process.listenerCount(signal) === 0;
      void stopAppJobRunner().finally(() => alone && process.exit(0));
    });
  }
}
