import { describe, expect, it } from "vitest";
import { SnapshotCache, snapshotKey } from "./snapshot-cache";

describe("SnapshotCache", () => {
  it("loads once per key, shares concurrent loads, and keys each evaluation apart", async () => {
    const cache = new SnapshotCache();
    let loads = 0;
    const load = async () => ++loads;
    const v1 = { orgId: "o", evaluationCount: 1, position: { id: "s" } };
    const [a, b] = await Promise.all([cache.get(snapshotKey(v1, "facets"), load), cache.get(snapshotKey(v1, "facets"), load)]);
    expect([a, b, loads]).toEqual([1, 1, 1]);
    expect(await cache.get(snapshotKey({ ...v1, evaluationCount: 2 }, "facets"), load)).toBe(2);
    expect(await cache.get(snapshotKey({ ...v1, orgId: "other" }, "facets"), load)).toBe(3);
  });

  it("forgets failed loads, expired entries and the least recently used beyond its size", async () => {
    const cache = new SnapshotCache(2, 1000);
    await expect(cache.get("k", () => Promise.reject(new Error("db down")))).rejects.toThrow("db down");
    expect(await cache.get("k", async () => "ok")).toBe("ok");
    expect(await cache.get("k", async () => "new", Date.now() + 5000)).toBe("new");
    await cache.get("a", async () => "a");
    await cache.get("k", async () => "unused");
    await cache.get("b", async () => "b");
    expect(cache.size).toBe(2);
    expect(await cache.get("a", async () => "reloaded")).toBe("reloaded");
  });
});
