/**
 * Gunzip with a hard cap on the output: inflating stops at the first block past the cap, so a
 * gzip bomb (a few KiB that inflate to gigabytes) costs at most the cap, never its full size.
 * Multi-member gzip (concatenated streams) is accepted, as gunzip does.
 *
 * One synchronous call (zlib's own `maxOutputLength` check), not a stream: a stream of 64 KiB
 * blocks costs a round trip through the thread pool per block, which made inflating a
 * 100,000-object snapshot's chunks take three times as long (bench/ingest-end-to-end.ts).
 * A 16 MiB chunk inflates in about 15 ms. The request path uses the asynchronous form: the same
 * one call, on the thread pool, so one chunk inflates while Node parses another (the agent keeps
 * two in flight).
 */
import { promisify } from "node:util";
import zlib from "node:zlib";
import { AppError } from "@/lib/errors";
import { formatBytes } from "./ingest-limits";

/**
 * Output block size: the size the gzip trailer announces (ISIZE, the last member's length mod
 * 2^32), so a chunk inflates into one block instead of blocks copied together at the end. Only
 * a hint: a wrong one costs a copy, never the cap.
 */
function blockSize(input: Buffer, maxOutputBytes: number): number {
  const announced = input.length >= 18 ? input.readUInt32LE(input.length - 4) : 0;
  return Math.min(Math.max(announced + 1, 64 * 1024), maxOutputBytes + 1);
}

function inflateError(error: unknown, maxOutputBytes: number): AppError {
  if (error instanceof RangeError && (error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
    return new AppError("payload_too_large", `The body inflates to more than the limit of ${formatBytes(maxOutputBytes)}`, { limitBytes: maxOutputBytes });
  }
  return new AppError("bad_request", "The body is not valid gzip (Content-Encoding: gzip)", { reason: "bad_encoding" });
}

export function gunzipWithLimit(input: Buffer, maxOutputBytes: number): Buffer {
  try {
    return zlib.gunzipSync(input, { maxOutputLength: maxOutputBytes, chunkSize: blockSize(input, maxOutputBytes) });
  } catch (error) {
    throw inflateError(error, maxOutputBytes);
  }
}

const gunzipOnThreadPool = promisify(zlib.gunzip);

/** The same, on the thread pool: Node's own thread is free meanwhile. */
export async function gunzipWithLimitAsync(input: Buffer, maxOutputBytes: number): Promise<Buffer> {
  try {
    return await gunzipOnThreadPool(input, { maxOutputLength: maxOutputBytes, chunkSize: blockSize(input, maxOutputBytes) });
  } catch (error) {
    throw inflateError(error, maxOutputBytes);
  }
}
