/**
 * Chunks parsed at upload, kept in memory for the evaluation job of the same process (the app's
 * in-process runner picks a snapshot up right after its completion): the job then skips inflating
 * and parsing them again, which is about a fifth of a large snapshot's ingest time. Keyed by
 * snapshot, index and the sha256 of the stored bytes, so an entry is exactly what the database
 * holds; bounded by INGEST_PARSED_CACHE_MB (of JSON text) and an hour, oldest out first. A miss
 * (another process, eviction, restart) just parses the stored chunk: the cache changes speed,
 * never results.
 */
import type { KubeObject } from "@/lib/snapshot/schema";
import { settings } from "@/lib/config/settings";
import { INCOMPLETE_SNAPSHOT_TTL_MS } from "./ingest-limits";

interface Entry {
  objects: KubeObject[];
  bytes: number;
  at: number;
}

export class ParsedChunkCache {
  private readonly entries = new Map<string, Entry>();
  private total = 0;

  constructor(
    private readonly budgetBytes: () => number,
    private readonly ttlMs = INCOMPLETE_SNAPSHOT_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  static key(snapshotId: string, index: number, sha256: string): string {
    return `${snapshotId}:${index}:${sha256}`;
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.total };
  }

  put(key: string, objects: KubeObject[], bytes: number): void {
    const budget = this.budgetBytes();
    if (bytes > budget) return;
    this.remove(key);
    const now = this.now();
    for (const [k, e] of this.entries) {
      if (this.total + bytes <= budget && now - e.at < this.ttlMs) break;
      this.remove(k);
    }
    this.entries.set(key, { objects, bytes, at: now });
    this.total += bytes;
  }

  /** The parsed objects, removed from the cache (a job uses them once). */
  take(key: string): KubeObject[] | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.remove(key);
    return this.now() - entry.at < this.ttlMs ? entry.objects : undefined;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.total -= entry.bytes;
  }
}

const globalForCache = globalThis as unknown as { rampartsParsedChunks?: ParsedChunkCache };
export const parsedChunkCache: ParsedChunkCache = (globalForCache.rampartsParsedChunks ??= new ParsedChunkCache(() => settings().ingestParsedCacheMb * 1024 * 1024));
