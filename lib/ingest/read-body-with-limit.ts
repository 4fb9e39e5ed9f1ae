/**
 * Reads a request body as raw bytes, refusing it (413) as soon as it passes the limit: a
 * declared Content-Length above the limit is refused before reading, and a body without one
 * stops being read at the first byte over.
 */
import { AppError } from "@/lib/errors";
import { formatBytes } from "./ingest-limits";

export async function readBodyWithLimit(request: Request, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new AppError("payload_too_large", `The request body is larger than the limit of ${formatBytes(maxBytes)} (compressed)`, { limitBytes: maxBytes });
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    parts.push(value);
  }
  return Buffer.concat(parts, total);
}
