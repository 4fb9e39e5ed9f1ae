import { z } from "zod";
import { checkById } from "@/lib/engine/checks/registry";

const glob = z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9*?._-]+$/, "Use a name or a pattern with * and ?, like falco-*");
const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/**
 * An accepted risk: which check, where (one cluster or all, a namespace, a kind, a name
 * pattern), why, and until when. Matching findings stay listed as excepted and leave the score.
 */
export const createExceptionInput = z.object({
  /** Null or absent: every cluster of the organization. */
  clusterId: z.preprocess(emptyToUndefined, z.string().min(1).max(64).nullable().optional()),
  checkId: z.string().trim().refine((id) => checkById(id) !== undefined, { message: "Unknown check" }),
  namespace: z.preprocess(emptyToUndefined, glob.optional()),
  kind: z.preprocess(emptyToUndefined, z.string().trim().max(253).regex(/^[A-Za-z][A-Za-z0-9]*$/, "A Kubernetes kind, like Deployment").optional()),
  namePattern: z.preprocess(emptyToUndefined, glob.optional()),
  reason: z.string({ error: "A reason is required" }).trim().min(3, "Say why this risk is accepted").max(2000),
  /** ISO date-time; must be in the future. Absent: until revoked. */
  expiresAt: z.preprocess(emptyToUndefined, z.coerce.date().optional()),
});
export type CreateExceptionInput = z.input<typeof createExceptionInput>;
