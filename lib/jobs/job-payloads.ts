/**
 * The jobs of the queue and their payloads (ids only: a job reads everything else itself,
 * in the organization's row-level security context).
 */
import { z } from "zod";

const id = z.string().min(1).max(64);

export const JOB_PAYLOADS = {
  /** Assemble a completed snapshot, run the engine, store findings, scores and the diff. */
  "evaluate-snapshot": z.object({ orgId: id, snapshotId: z.string().uuid() }),
  /** Exceptions changed: evaluate the cluster's latest snapshot again with the active ones. */
  "reevaluate-cluster": z.object({ orgId: id, clusterId: id }),
  /** Daily: expire raw snapshots, findings and daily scores past their retention. */
  retention: z.object({}).passthrough(),
  /** Hourly: expire snapshots whose chunks stopped arriving (the agent never completed them). */
  "expire-incomplete-snapshots": z.object({}).passthrough(),
} as const;

export type JobName = keyof typeof JOB_PAYLOADS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOB_PAYLOADS)[N]>;
export const JOB_NAMES = Object.keys(JOB_PAYLOADS) as JobName[];
