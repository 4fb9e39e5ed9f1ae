import { describe, expect, it } from "vitest";
import type { KubeObject } from "@/lib/snapshot/schema";
import { assembleSnapshot, takeParsedChunks } from "./assemble-snapshot";
import { ParsedChunkCache } from "./parsed-chunk-cache";
import { packSnapshot } from "./pack-snapshot";
import { sampleSnapshot } from "./testing/sample-snapshot";

const snapshot = sampleSnapshot({ namespaces: ["a", "b", "c"] });
const packed = packSnapshot(snapshot, { maxObjectsPerChunk: 2 });
const { objects: _objects, ...header } = snapshot;
const names = (objects: readonly KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`);

describe("assembling a stored snapshot", () => {
  it("puts objects in chunk order, whether a chunk was kept parsed or is read from its stored bytes", () => {
    expect(packed.chunks.length).toBeGreaterThan(3);
    const cache = new ParsedChunkCache(() => 1 << 30);
    // Every other chunk kept from upload (as parsed there: the chunk body's objects), the rest stored only.
    for (const chunk of packed.chunks.filter((c) => c.index % 2 === 1)) {
      const start = packed.chunks.slice(0, chunk.index).reduce((n, c) => n + c.objectCount, 0);
      cache.put(ParsedChunkCache.key(packed.snapshotId, chunk.index, chunk.sha256), snapshot.objects.slice(start, start + chunk.objectCount), 1);
    }
    const listed = packed.chunks.map((c) => ({ index: c.index, sha256: c.sha256 }));
    const parsed = takeParsedChunks(cache, packed.snapshotId, listed);
    expect([...parsed.keys()].sort()).toEqual(packed.chunks.filter((c) => c.index % 2 === 1).map((c) => c.index));
    expect(cache.size.entries).toBe(0);
    const stored = [...packed.chunks].reverse().map((c) => ({ index: c.index, sha256: c.sha256, body: parsed.has(c.index) ? undefined : new Uint8Array(c.body) }));
    const assembled = assembleSnapshot(header, stored, { parsed });
    expect(names(assembled.objects)).toEqual(names(snapshot.objects));
    expect(assembled.collectedAt).toBe(snapshot.collectedAt);
  });

  it("takes a kept chunk only for the same stored bytes (sha256)", () => {
    const cache = new ParsedChunkCache(() => 1 << 30);
    cache.put(ParsedChunkCache.key(packed.snapshotId, 0, "0".repeat(64)), [], 1);
    expect(takeParsedChunks(cache, packed.snapshotId, [{ index: 0, sha256: packed.chunks[0]!.sha256 }]).size).toBe(0);
  });

  it("refuses a snapshot with a chunk missing, or a chunk neither kept nor loaded", () => {
    const stored = packed.chunks.map((c) => ({ index: c.index, sha256: c.sha256, body: new Uint8Array(c.body) }));
    expect(() => assembleSnapshot(header, stored.filter((c) => c.index !== 1))).toThrow(/chunk 1 is missing/);
    expect(() => assembleSnapshot(header, stored.map((c) => (c.index === 2 ? { index: 2, sha256: c.sha256 } : c)))).toThrow(/chunk 2 was neither kept parsed nor loaded/);
  });
});
