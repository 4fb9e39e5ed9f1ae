import { NextResponse, type NextRequest } from "next/server";
import { AppError } from "@/lib/errors";
import { DomainCheckUnavailableError, publicDomainChecks } from "@/lib/public-scans/public-domain-checks";
import { clientAddress } from "@/lib/security/rate-limiter";

export const dynamic = "force-dynamic";

/**
 * The landing page's form without JavaScript (GET /check?domain=…) and "Check again" (…&rescan=1): sends
 * the browser to the shared result page, after asking for a new scan when asked to (reused if under 5 minutes).
 */
export async function GET(request: NextRequest) {
  const input = (request.nextUrl.searchParams.get("domain") ?? "").trim();
  if (!input) return NextResponse.redirect(new URL("/", request.url), 303);
  let domain = input;
  if (request.nextUrl.searchParams.get("rescan") === "1") {
    try {
      const service = publicDomainChecks();
      service.takeRequest(clientAddress(request.headers));
      domain = (await service.request(input, clientAddress(request.headers))).scan.domain;
    } catch (error) {
      // The result page explains invalid names, limits and configuration problems itself.
      if (!(error instanceof AppError) && !(error instanceof DomainCheckUnavailableError)) throw error;
    }
  }
  return NextResponse.redirect(new URL(`/check/${encodeURIComponent(domain)}`, request.url), 303);
}
