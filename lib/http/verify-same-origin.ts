/**
 * CSRF protection for cookie-authenticated, state-changing requests: the browser must say the
 * request comes from our own origin (Origin, or Sec-Fetch-Site for same-origin navigations).
 * A request with neither header is refused: browsers always send one of them on such requests.
 */
import { AppError } from "@/lib/errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function verifySameOrigin(request: Request, appUrl: string): void {
  if (SAFE_METHODS.has(request.method)) return;
  const expected = new URL(appUrl).origin;
  const origin = request.headers.get("origin");
  if (origin) {
    const requestOrigin = new URL(request.url).origin;
    if (origin === expected || origin === requestOrigin) return;
    throw new AppError("csrf_failed", "Cross-site request refused");
  }
  if (request.headers.get("sec-fetch-site") === "same-origin") return;
  throw new AppError("csrf_failed", "Cross-site request refused: missing Origin header");
}
