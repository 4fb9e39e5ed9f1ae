import { NextResponse } from "next/server";
import { z } from "zod";
import { validationError } from "@/lib/http/api-error-response";
import { notFound } from "@/lib/errors";
import { publicRoute } from "@/lib/public-scans/public-route";
import { scanIdSchema } from "@/lib/public-scans/scan-id";
import { GROUP_OUTLINE } from "@/lib/public-scans/scan-store";
import { toScanView } from "@/lib/public-scans/scan-view";

export const dynamic = "force-dynamic";

const query = z.object({ include: z.enum(["evidence"]).optional() });

/** One public domain check (poll this, or follow …/events). `?include=evidence` adds everything the probes recorded. */
export const GET = publicRoute(async ({ request, service, params }) => {
  const id = scanIdSchema.safeParse(params.id);
  if (!id.success) throw notFound("Domain check");
  const parsedQuery = query.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  if (!parsedQuery.success) throw validationError(parsedQuery.error, "query");
  const scan = await service.get(id.data);
  if (!scan) throw notFound("Domain check");
  return NextResponse.json({ scan: toScanView(scan, GROUP_OUTLINE, { includeEvidence: parsedQuery.data.include === "evidence" }) });
});
