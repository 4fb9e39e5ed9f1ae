import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { gunzipWithLimit, gunzipWithLimitAsync } from "./gunzip-with-limit";

const failure = async (fn: () => unknown): Promise<AppError> => {
  try {
    await fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a failure");
};

// The same rules on both paths: synchronous (the evaluation job) and on the thread pool (uploads).
describe.each([
  ["synchronous", async (input: Buffer, max: number) => gunzipWithLimit(input, max)],
  ["on the thread pool", gunzipWithLimitAsync],
] as const)("gunzip with a limit, %s", (_, gunzip) => {
  it("inflates up to the limit exactly, and refuses one byte more with 413 naming the limit", async () => {
    const limit = 3 * 1024 * 1024 + 7;
    expect((await gunzip(zlib.gzipSync(Buffer.alloc(limit, 1)), limit)).length).toBe(limit);
    const over = await failure(() => gunzip(zlib.gzipSync(Buffer.alloc(limit + 1, 1)), limit));
    expect(over.code).toBe("payload_too_large");
    expect(over.message).toContain(`${limit} bytes`);
  });

  it("stops a bomb at the limit instead of inflating it", async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(128 * 1024 * 1024), { level: 9 });
    const before = process.memoryUsage().arrayBuffers;
    let peak = before;
    const watch = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 1);
    try {
      expect((await failure(() => gunzip(bomb, 8 * 1024 * 1024))).code).toBe("payload_too_large");
    } finally {
      clearInterval(watch);
    }
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
  });

  it("accepts concatenated gzip members, as gunzip does", async () => {
    const body = Buffer.concat([zlib.gzipSync('{"objects":'), zlib.gzipSync("[1,2]}")]);
    expect((await gunzip(body, 1024)).toString()).toBe('{"objects":[1,2]}');
  });

  it("answers 400 bad_encoding for bytes that are not gzip, or a truncated stream", async () => {
    for (const body of [Buffer.from("{\"plain\":true}"), zlib.gzipSync("x".repeat(1000)).subarray(0, 20)]) {
      const error = await failure(() => gunzip(body, 1024 * 1024));
      expect(error.code).toBe("bad_request");
      expect(error.details.reason).toBe("bad_encoding");
    }
  });
});
