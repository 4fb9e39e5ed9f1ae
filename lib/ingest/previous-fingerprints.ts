/**
 * The previous snapshot's finding fingerprints decide which findings of a new snapshot are new.
 * Reading them is PostgreSQL's work (about 0.15 s for 120,000), and the evaluation job's first
 * batch of findings waits for them. An upload keeps Node busy parsing while the database idles,
 * so the read starts when a snapshot's first chunk arrives (`prefetch`), and the job takes the
 * result if it is for the snapshot the job diffs against (`take`), else reads them itself.
 *
 * A READY snapshot's fingerprints never change: a re-evaluation applies exceptions, which change a
 * finding's status, not which findings exist. So a set read early is the set the job would read.
 * Entries are per cluster (a new prefetch replaces a finished read), bounded and short-lived: a
 * miss costs the read, never a wrong diff.
 */
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import { inTenantTransaction, type TenantTx } from "@/lib/tenancy/tenant-db";

/** A snapshot's finding fingerprints: one JSON text, not a row per finding nor a text[] (parsed element by element). */
export async function readFingerprints(tx: TenantTx, snapshotId: string): Promise<Set<string>> {
  const [row] = await tx.$queryRaw<{ fps: string | null }[]>`SELECT array_to_json(array_agg(fingerprint))::text AS fps FROM "Finding" WHERE "snapshotId" = ${snapshotId}::uuid`;
  return new Set<string>(JSON.parse(row?.fps ?? "[]") as string[]);
}

interface Entry {
  at: number;
  read: Promise<{ snapshotId: string; fingerprints: ReadonlySet<string> } | null>;
  /** Until the read ends: a prefetch meanwhile (two first chunks arriving together) adds nothing. */
  reading: boolean;
}

export class FingerprintPrefetch {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 32,
    private readonly ttlMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Starts reading the fingerprints of the cluster's latest snapshot; never throws, never waits.
   * While a read of the cluster's is still running (two first chunks arrive at once), that read
   * is kept and false returned; a finished one is replaced, since the cluster's latest may have changed.
   */
  prefetch(prisma: PrismaClient, orgId: string, clusterId: string): boolean {
    this.sweep();
    const key = `${orgId}|${clusterId}`;
    if (this.entries.get(key)?.reading) return false;
    const read = inTenantTransaction(prisma, { orgId, userId: null }, async (tx) => {
      const cluster = await tx.cluster.findUnique({ where: { id: clusterId }, select: { latestSnapshotId: true } });
      if (!cluster?.latestSnapshotId) return null;
      return { snapshotId: cluster.latestSnapshotId, fingerprints: await readFingerprints(tx, cluster.latestSnapshotId) };
    }).catch(() => null);
    const entry: Entry = { at: this.now(), read, reading: true };
    void read.then(() => (entry.reading = false));
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return true;
  }

  /** The prefetched fingerprints of `snapshotId`, if that is what was prefetched for the cluster (used once). */
  async take(orgId: string, clusterId: string, snapshotId: string): Promise<ReadonlySet<string> | null> {
    const key = `${orgId}|${clusterId}`;
    const entry = this.entries.get(key);
    if (!entry || this.now() - entry.at > this.ttlMs) return null;
    this.entries.delete(key);
    const result = await entry.read;
    return result?.snapshotId === snapshotId ? result.fingerprints : null;
  }

  get size(): number {
    return this.entries.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (now - entry.at > this.ttlMs) this.entries.delete(key);
  }
}

const globalForPrefetch = globalThis as unknown as { rampartsFingerprintPrefetch?: FingerprintPrefetch };
export const fingerprintPrefetch: FingerprintPrefetch = (globalForPrefetch.rampartsFingerprintPrefetch ??= new FingerprintPrefetch());
