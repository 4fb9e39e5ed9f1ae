/**
 * Adds a job inside the caller's transaction (graphile-worker's SQL API), so the job exists
 * exactly when the change that needs it commits: a completed snapshot is never left without
 * its evaluation, and a rolled-back change leaves no job behind. Works on PostgreSQL and on
 * the embedded database alike (the queue's schema is a migration).
 */
import type { TenantTx } from "@/lib/tenancy/tenant-db";
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import { JOB_PAYLOADS, type JobName, type JobPayload } from "./job-payloads";

export interface EnqueueOptions {
  /** Jobs with the same key are one job: adding again replaces the pending one's payload and time. */
  jobKey?: string;
  runAt?: Date;
  maxAttempts?: number;
  /** "replace" (default) or "preserve_run_at" (debounce without postponing). */
  jobKeyMode?: "replace" | "preserve_run_at";
}

export async function enqueueJob<N extends JobName>(tx: TenantTx | PrismaClient, name: N, payload: JobPayload<N>, options: EnqueueOptions = {}): Promise<string> {
  const body = JOB_PAYLOADS[name].parse(payload);
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT (graphile_worker.add_job(
      identifier => ${name}::text,
      payload => ${JSON.stringify(body)}::json,
      run_at => ${options.runAt ?? null}::timestamptz,
      max_attempts => ${options.maxAttempts ?? null}::int,
      job_key => ${options.jobKey ?? null}::text,
      job_key_mode => ${options.jobKeyMode ?? "replace"}::text
    )).id::text AS id`;
  return rows[0]!.id;
}
