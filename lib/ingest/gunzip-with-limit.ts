/**
 * Streaming gunzip with a hard cap on the output: inflating stops at the first chunk past the
 * cap, so a gzip bomb (a few KiB that inflate to gigabytes) costs at most the cap, never its
 * full size. Multi-member gzip (concatenated streams) is accepted, as gunzip does.
 */
import zlib from "node:zlib";
import { AppError } from "@/lib/errors";
import { formatBytes } from "./ingest-limits";

export function gunzipWithLimit(input: Buffer, maxOutputBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const inflater = zlib.createGunzip({ chunkSize: 64 * 1024 });
    const parts: Buffer[] = [];
    let total = 0;
    let settled = false;
    const fail = (error: AppError) => {
      if (settled) return;
      settled = true;
      inflater.destroy();
      reject(error);
    };
    inflater.on("data", (part: Buffer) => {
      total += part.length;
      if (total > maxOutputBytes) {
        fail(new AppError("payload_too_large", `The body inflates to more than the limit of ${formatBytes(maxOutputBytes)}`, { limitBytes: maxOutputBytes }));
        return;
      }
      parts.push(part);
    });
    inflater.on("error", () => fail(new AppError("bad_request", "The body is not valid gzip (Content-Encoding: gzip)", { reason: "bad_encoding" })));
    inflater.on("end", () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(parts, total));
    });
    inflater.end(input);
  });
}
