/** The browser side of the public domain-check API (docs/domain-check.md). */
import type { ScanView } from "@/lib/public-scans/scan-view";

export class DomainCheckApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly reason?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

async function parse<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => null)) as (T & { error?: { code: string; message: string; reason?: string } }) | null;
  if (!response.ok || !body) {
    const retryAfter = Number(response.headers.get("retry-after"));
    throw new DomainCheckApiError(
      response.status,
      body?.error?.code ?? "unknown",
      body?.error?.message ?? "The domain check is unavailable right now. Try again in a minute.",
      body?.error?.reason,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }
  return body;
}

export async function startDomainCheck(domain: string): Promise<{ outcome: "started" | "joined" | "reused"; scan: ScanView }> {
  const response = await fetch("/api/public/domain-checks", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ domain }),
  });
  return parse(response);
}

export async function fetchDomainCheck(id: string): Promise<ScanView> {
  return (await parse<{ scan: ScanView }>(await fetch(`/api/public/domain-checks/${encodeURIComponent(id)}`, { cache: "no-store" }))).scan;
}

export function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
