import { NextResponse } from "next/server";
import { z } from "zod";
import { publicRoute, readSmallJson } from "@/lib/public-scans/public-route";
import { GROUP_OUTLINE } from "@/lib/public-scans/scan-store";
import { toScanView } from "@/lib/public-scans/scan-view";

export const dynamic = "force-dynamic";

const body = z.object({ domain: z.string({ error: "domain is required" }).max(300, "domain is too long") });

/**
 * Starts (202), joins (202) or reuses (200) the public check of a domain. Answers 400 with the reason for
 * a name we refuse, 429 with Retry-After when a limit is reached. docs/domain-check.md describes the API.
 */
export const POST = publicRoute(async ({ request, service, client }) => {
  const { domain } = await readSmallJson(request, body);
  const { outcome, scan } = await service.request(domain, client);
  const view = toScanView(scan, GROUP_OUTLINE);
  return NextResponse.json({ outcome, scan: view }, { status: outcome === "reused" ? 200 : 202, headers: { Location: view.links.self } });
});
