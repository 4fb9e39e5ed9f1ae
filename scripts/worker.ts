/**
 * `npm run worker`: a job-queue process of its own (evaluation, re-evaluation, retention), for
 * PostgreSQL deployments that keep CPU-heavy evaluation out of the web servers (JOB_RUNNER=off
 * there). Several workers may run: the queue hands each job to one. Stops gracefully on
 * SIGINT/SIGTERM (the job in hand finishes or rolls back).
 */
import { settings } from "@/lib/config/settings";
import { closeDb } from "@/lib/db/client";
import { startAppJobRunner, stopAppJobRunner } from "@/lib/jobs/start-app-job-runner";

const config = settings();
if (!config.databaseUrl) {
  console.error("npm run worker needs DATABASE_URL (PostgreSQL): the embedded database can be opened by one process only, and the app runs its jobs itself.");
  process.exit(2);
}
const runner = await startAppJobRunner({ force: true });
if (!runner) process.exit(1);
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    await stopAppJobRunner();
    await closeDb();
    process.exit(0);
  });
}
await runner.done.catch((error) => {
  console.error(`worker stopped: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
