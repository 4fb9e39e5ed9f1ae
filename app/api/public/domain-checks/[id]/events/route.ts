import { notFound } from "@/lib/errors";
import { publicRoute } from "@/lib/public-scans/public-route";
import { scanEventStream } from "@/lib/public-scans/scan-event-stream";
import { scanIdSchema } from "@/lib/public-scans/scan-id";

export const dynamic = "force-dynamic";

/** Progress of one domain check as Server-Sent Events (see lib/public-scans/scan-event-stream.ts). */
export const GET = publicRoute(async ({ request, service, client, params }) => {
  const id = scanIdSchema.safeParse(params.id);
  if (!id.success) throw notFound("Domain check");
  const scan = await service.get(id.data);
  if (!scan) throw notFound("Domain check");
  const release = service.openStream(client);
  const body = scanEventStream(service, scan, request.signal, release);
  return new Response(body, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
});
