import zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeIngestBody, jsonText } from "./parse-ingest-body";

describe("decoding an ingest body", () => {
  it("reads UTF-8 text the same whether it is plain ASCII (the fast path) or not", () => {
    const values = [{ label: "plain ascii" }, { label: "accents é, CJK 中文, emoji 🛡️" }, { label: "escaped \u00e9 \\u00e9" }, { label: "\u007f and controls \u0001" }];
    for (const value of values) {
      const bytes = Buffer.from(JSON.stringify(value), "utf8");
      expect(jsonText(bytes)).toBe(bytes.toString("utf8"));
      expect(decodeIngestBody(zlib.gzipSync(bytes), "gzip").value).toEqual(value);
    }
  });

  it("keeps invalid UTF-8 as replacement characters, as UTF-8 decoding does", () => {
    const bytes = Buffer.concat([Buffer.from('{"label":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
    expect(jsonText(bytes)).toBe(bytes.toString("utf8"));
    expect((decodeIngestBody(bytes, null).value as { label: string }).label).toBe("\uFFFD(\uFFFD");
  });
});
