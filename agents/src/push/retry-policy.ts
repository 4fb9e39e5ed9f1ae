/**
 * When to retry an upload and how long to wait: exponential backoff with full jitter on network
 * errors, 408, 429 and 5xx, honouring Retry-After, all inside one total time budget. Everything
 * else that is not a success stops at once (docs/agent-protocol.md, "Status codes").
 */
export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts per request, the first included. */
  maxAttempts: number;
  /** Total time the whole push may spend, retries included. */
  totalBudgetMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 10, totalBudgetMs: 15 * 60_000 };

export type StatusClass = "success" | "retry" | "stop";

export function classifyStatus(status: number): StatusClass {
  if (status >= 200 && status < 300) return "success";
  if (status === 408 || status === 429 || status >= 500) return "retry";
  return "stop";
}

/** Full jitter: a uniform wait between 0 and min(max, base * 2^retry). `retry` starts at 0. */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

/** Retry-After as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
