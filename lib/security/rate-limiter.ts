/**
 * Fixed-window rate limiting for public endpoints (sign-in mail, the domain check, ingest).
 * In-process: with several app instances behind a balancer each counts on its own, so limits
 * are per instance (docs/operations.md). Windows are cleaned lazily; memory stays bounded.
 */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  remaining: number;
  retryAfterSeconds: number;
}

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(
    private readonly rule: RateLimitRule,
    private readonly maxKeys = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): RateLimitDecision {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.rule.windowMs) {
      if (this.windows.size >= this.maxKeys) this.evictExpired(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    if (window.count >= this.rule.limit) {
      return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil((window.start + this.rule.windowMs - now) / 1000)) };
    }
    window.count += 1;
    return { allowed: true, remaining: this.rule.limit - window.count, retryAfterSeconds: 0 };
  }

  private evictExpired(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.start >= this.rule.windowMs) this.windows.delete(key);
    }
    // Still full of live windows: drop the oldest rather than grow without bound.
    if (this.windows.size >= this.maxKeys) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
  }
}

/** The client address as the edge proxy reports it (the first X-Forwarded-For hop), else "unknown". */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip") || "unknown";
}
