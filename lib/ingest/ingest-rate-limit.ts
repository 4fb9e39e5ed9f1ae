/**
 * Per-cluster request budget for ingest (INGEST_RATE_LIMIT_PER_MINUTE), counted per app instance
 * like the other limits (docs/operations.md). Over it: 429 with Retry-After, which the agent honours.
 */
import { AppError } from "@/lib/errors";
import { RateLimiter } from "@/lib/security/rate-limiter";
import { settings } from "@/lib/config/settings";

let limiter: { perMinute: number; limiter: RateLimiter } | undefined;

export function assertIngestRateLimit(clusterId: string): void {
  const perMinute = settings().ingestRateLimitPerMinute;
  if (!limiter || limiter.perMinute !== perMinute) limiter = { perMinute, limiter: new RateLimiter({ limit: perMinute, windowMs: 60_000 }) };
  const decision = limiter.limiter.take(clusterId);
  if (!decision.allowed) {
    throw new AppError("rate_limited", `This cluster sent more than ${perMinute} ingest requests in a minute; retry after ${decision.retryAfterSeconds} s`, {
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  }
}
