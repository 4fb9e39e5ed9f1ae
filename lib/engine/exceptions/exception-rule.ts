/**
 * Exceptions as data: accepted risks, scoped and with an expiry. Excepted findings
 * stay listed (status "excepted") and leave the score; an expired rule stops applying.
 */
import { z } from "zod";

const glob = z.string().min(1).max(253);

export const exceptionRuleSchema = z
  .object({
    id: z.string().min(1).max(100).optional(),
    /** A check id, or "*" for every check. */
    checkId: z.string().regex(/^(\*|[a-z0-9]+(-[a-z0-9]+)*)$/, "checkId must be a check id (kebab-case) or *"),
    /** Namespace name or glob ("team-*"). */
    namespace: glob.optional(),
    /** Resource kind, e.g. "Deployment". */
    kind: z.string().min(1).max(253).optional(),
    /** Resource name or glob ("falco-*"). */
    name: glob.optional(),
    /** Labels the resource must carry (all of them). */
    labels: z.record(z.string(), z.string()).optional(),
    /** Container name or glob. */
    container: glob.optional(),
    reason: z.string().trim().min(1, "reason is required").max(2000),
    /** ISO date-time; from then on the rule no longer applies. */
    expiresAt: z.string().datetime({ offset: true, message: "expiresAt must be an ISO 8601 date-time with a time zone, e.g. 2026-12-31T23:59:59Z" }).optional(),
  })
  .strict();

export type ExceptionRule = z.infer<typeof exceptionRuleSchema>;

export const exceptionRulesSchema = z.array(exceptionRuleSchema);

/** Glob with `*` (any run of characters) and `?` (one character), anchored. */
export function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (const ch of pattern) {
    if (ch === "*") source += ".*";
    else if (ch === "?") source += ".";
    else source += ch.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}
