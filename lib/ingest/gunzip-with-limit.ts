/**
 * Gunzip with a hard cap on the output: inflating stops at the first block past the cap, so a
 * gzip bomb (a few KiB that inflate to gigabytes) costs at most the cap, never its full size.
 * Multi-member gzip (concatenated streams) is accepted, as gunzip does.
 *
 * One synchronous call (zlib's own `maxOutputLength` check), not a stream: a stream of 64 KiB
 * blocks costs a round trip through the thread pool per block, which made inflating a
 * 100,000-object snapshot's chunks take three times as long (bench/ingest-end-to-end.ts).
 * A 16 MiB chunk inflates in about 15 ms.
 */
import zlib from "node:zlib";
import { AppError } from "@/lib/errors";
import { formatBytes } from "./ingest-limits";

export function gunzipWithLimit(input: Buffer, maxOutputBytes: number): Buffer {
  try {
    return zlib.gunzipSync(input, { maxOutputLength: maxOutputBytes, chunkSize: 1024 * 1024 });
  } catch (error) {
    if (error instanceof RangeError && (error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw new AppError("payload_too_large", `The body inflates to more than the limit of ${formatBytes(maxOutputBytes)}`, { limitBytes: maxOutputBytes });
    }
    throw new AppError("bad_request", "The body is not valid gzip (Content-Encoding: gzip)", { reason: "bad_encoding" });
  }
}
