import type { SnapshotPosition } from "@/lib/findings/snapshot-membership";

/**
 * An in-process cache for what is derived from one evaluation of one snapshot (filter menus,
 * totals, what changed): immutable until the snapshot is evaluated again, and costly to recompute
 * on 50,000 findings for every page view. Keys carry the organization, the snapshot id and its
 * evaluation count, so a re-evaluation (an exception changed) is a new key and old entries simply
 * age out. Lookups happen only after the tenant scope resolved the cluster and its snapshot.
 * Concurrent misses share one load.
 */
export class SnapshotCache {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly maxEntries = 500,
    private readonly ttlMs = 15 * 60_000,
  ) {}

  async get<T>(key: string, load: () => Promise<T>, now = Date.now()): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) {
      // Least recently used first out: move the hit to the end.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.value as Promise<T>;
    }
    const value = load();
    this.entries.set(key, { at: now, value });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    // A failed load is not remembered.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The identity of one evaluation of one snapshot of one organization, and where its findings are. */
export interface SnapshotVersion {
  orgId: string;
  evaluationCount: number;
  /** The snapshot (its id) and where its findings are. */
  position: SnapshotPosition;
}

export function snapshotKey(version: { orgId: string; evaluationCount: number; position: Pick<SnapshotPosition, "id"> }, ...parts: string[]): string {
  return [version.orgId, version.position.id, version.evaluationCount, ...parts].join("|");
}

const globalForCache = globalThis as unknown as { rampartsSnapshotCache?: SnapshotCache };
export const snapshotCache: SnapshotCache = (globalForCache.rampartsSnapshotCache ??= new SnapshotCache());
