import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { gunzipWithLimit } from "./gunzip-with-limit";

const failure = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a failure");
};

describe("gunzip with a limit", () => {
  it("inflates up to the limit exactly, and refuses one byte more with 413 naming the limit", () => {
    const limit = 3 * 1024 * 1024 + 7;
    expect(gunzipWithLimit(zlib.gzipSync(Buffer.alloc(limit, 1)), limit).length).toBe(limit);
    const over = failure(() => gunzipWithLimit(zlib.gzipSync(Buffer.alloc(limit + 1, 1)), limit));
    expect(over.code).toBe("payload_too_large");
    expect(over.message).toContain(`${limit} bytes`);
  });

  it("stops a bomb at the limit instead of inflating it", () => {
    const bomb = zlib.gzipSync(Buffer.alloc(128 * 1024 * 1024), { level: 9 });
    const before = process.memoryUsage().arrayBuffers;
    expect(failure(() => gunzipWithLimit(bomb, 8 * 1024 * 1024)).code).toBe("payload_too_large");
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
  });

  it("accepts concatenated gzip members, as gunzip does", () => {
    const body = Buffer.concat([zlib.gzipSync('{"objects":'), zlib.gzipSync("[1,2]}")]);
    expect(gunzipWithLimit(body, 1024).toString()).toBe('{"objects":[1,2]}');
  });

  it("answers 400 bad_encoding for bytes that are not gzip, or a truncated stream", () => {
    for (const body of [Buffer.from("{\"plain\":true}"), zlib.gzipSync("x".repeat(1000)).subarray(0, 20)]) {
      const error = failure(() => gunzipWithLimit(body, 1024 * 1024));
      expect(error.code).toBe("bad_request");
      expect(error.details.reason).toBe("bad_encoding");
    }
  });
});
