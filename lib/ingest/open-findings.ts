/**
 * The cluster's open finding rows (those its latest snapshot reports: lib/findings/snapshot-membership.ts)
 * decide what the next snapshot writes: a finding with an open row of the same fingerprint and
 * content writes nothing, one whose content changed updates its row, one without is inserted
 * (and is new), and open rows nobody reported are closed (resolved).
 *
 * Reading them is PostgreSQL's work (a few tenths of a second for 120,000), and the evaluation job
 * waits for them. An upload keeps Node busy parsing while the database idles, so the read starts
 * when a snapshot's first chunk arrives (`prefetch`), and the job takes the result if it is still
 * the cluster's latest snapshot's (`take`), else reads them itself. Entries are per cluster (a new
 * prefetch replaces a finished read), used once, bounded and short-lived: a miss costs the read,
 * never a wrong write (the job checks the head under its lock, and re-evaluations never take them).
 */
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import { inTenantTransaction, type TenantTx } from "@/lib/tenancy/tenant-db";
import { inSnapshot, type SnapshotPosition } from "@/lib/findings/snapshot-membership";

export interface OpenFinding {
  /** The row's id (bigint, as text). */
  id: string;
  /** Hash of what can change while the fingerprint stays (lib/ingest/insert-findings.ts, contentHashOf). */
  contentHash: string;
  /** Set once a finding of the new evaluation took this row. */
  matched: boolean;
  /** Another open row with the same fingerprint (a check reporting one field twice). */
  next: OpenFinding | null;
}

/** Fingerprints of a snapshot: what decides "new" and "resolved". */
export type Fingerprints = Pick<ReadonlySet<string>, "has"> & Iterable<string>;

export class OpenFindings implements Fingerprints {
  private readonly byFingerprint = new Map<string, OpenFinding>();
  private rows = 0;

  /**
   * `text`: a line per row, "id TAB fingerprint TAB contentHash", as readOpenFindings selects it
   * (a third of the JSON's size, and split rather than parsed: the read is on Node's busiest path).
   */
  static fromText(text: string | null): OpenFindings {
    const open = new OpenFindings();
    if (!text) return open;
    for (let start = 0; start < text.length; ) {
      const a = text.indexOf("\t", start);
      const b = text.indexOf("\t", a + 1);
      let end = text.indexOf("\n", b + 1);
      if (end === -1) end = text.length;
      open.add(text.slice(a + 1, b), { id: text.slice(start, a), contentHash: text.slice(b + 1, end), matched: false, next: null });
      start = end + 1;
    }
    return open;
  }

  private add(fingerprint: string, row: OpenFinding): void {
    this.rows++;
    const first = this.byFingerprint.get(fingerprint);
    if (!first) {
      this.byFingerprint.set(fingerprint, row);
      return;
    }
    let last = first;
    while (last.next) last = last.next;
    last.next = row;
  }

  get size(): number {
    return this.rows;
  }

  has(fingerprint: string): boolean {
    return this.byFingerprint.has(fingerprint);
  }

  [Symbol.iterator](): Iterator<string> {
    return this.byFingerprint.keys();
  }

  /**
   * The open row a finding continues: an untaken one with its fingerprint, the one with the same
   * content first. `same`: nothing to write. Null: the finding needs a row of its own.
   */
  take(fingerprint: string, contentHash: string): { row: OpenFinding; same: boolean } | null {
    let free: OpenFinding | null = null;
    for (let row: OpenFinding | null = this.byFingerprint.get(fingerprint) ?? null; row; row = row.next) {
      if (row.matched) continue;
      if (row.contentHash === contentHash) {
        row.matched = true;
        return { row, same: true };
      }
      free ??= row;
    }
    if (!free) return null;
    free.matched = true;
    return { row: free, same: false };
  }

  /**
   * Rows no finding took (resolved), and how many fingerprints no finding reported: those whose
   * rows all stayed untaken (a reported fingerprint takes one of its rows at least).
   */
  untaken(): { ids: string[]; goneFingerprints: number } {
    const ids: string[] = [];
    let goneFingerprints = 0;
    for (const first of this.byFingerprint.values()) {
      let taken = false;
      for (let row: OpenFinding | null = first; row; row = row.next) {
        if (row.matched) taken = true;
        else ids.push(row.id);
      }
      if (!taken) goneFingerprints++;
    }
    return { ids, goneFingerprints };
  }
}

/** The cluster's open rows: one text (not a row per finding, which costs Node far more to receive). Fingerprints and hashes are hex. */
export async function readOpenFindings(tx: TenantTx, clusterId: string): Promise<OpenFindings> {
  const [row] = await tx.$queryRaw<{ rows: string | null }[]>`
    SELECT string_agg(id::text || E'\t' || fingerprint || E'\t' || "contentHash", E'\n') AS rows
    FROM "Finding" WHERE "clusterId" = ${clusterId} AND "endSeq" IS NULL`;
  return OpenFindings.fromText(row?.rows ?? null);
}

/** A snapshot's finding fingerprints (the previous snapshot's, for a re-evaluation or a detached snapshot). */
export async function readFingerprints(tx: TenantTx, snapshot: SnapshotPosition): Promise<Set<string>> {
  const [row] = await tx.$queryRaw<{ fps: string | null }[]>`SELECT array_to_json(array_agg(f.fingerprint))::text AS fps FROM "Finding" f WHERE ${inSnapshot(snapshot)}`;
  return new Set<string>(JSON.parse(row?.fps ?? "[]") as string[]);
}

/** The cluster's latest snapshot as of a read: a re-evaluation since (an exception changed) changes the rows, and the count. */
export interface Head {
  id: string;
  evaluationCount: number;
}

interface Entry {
  at: number;
  read: Promise<{ head: Head; open: OpenFindings } | null>;
  /** Until the read ends: a prefetch meanwhile (two first chunks arriving together) adds nothing. */
  reading: boolean;
}

export class OpenFindingsPrefetch {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 32,
    private readonly ttlMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Starts reading the open rows of the cluster, with its latest snapshot; never throws, never waits.
   * While a read of the cluster's is still running (two first chunks arrive at once), that read
   * is kept and false returned; a finished one is replaced, since the cluster's latest may have changed.
   */
  prefetch(prisma: PrismaClient, orgId: string, clusterId: string): boolean {
    this.sweep();
    const key = `${orgId}|${clusterId}`;
    if (this.entries.get(key)?.reading) return false;
    const read = inTenantTransaction(prisma, { orgId, userId: null }, async (tx) => {
      // One transaction: the rows are the open ones of the latest snapshot read with them.
      const cluster = await tx.cluster.findUnique({ where: { id: clusterId }, select: { latestSnapshot: { select: { id: true, evaluationCount: true } } } });
      if (!cluster?.latestSnapshot) return null;
      return { head: cluster.latestSnapshot, open: await readOpenFindings(tx, clusterId) };
    }).catch(() => null);
    const entry: Entry = { at: this.now(), read, reading: true };
    void read.then(() => (entry.reading = false));
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return true;
  }

  /** The prefetched open rows, if they were read with `head` as the cluster's latest, as evaluated now (used once). */
  async take(orgId: string, clusterId: string, head: Head): Promise<OpenFindings | null> {
    const key = `${orgId}|${clusterId}`;
    const entry = this.entries.get(key);
    if (!entry || this.now() - entry.at > this.ttlMs) return null;
    this.entries.delete(key);
    const result = await entry.read;
    return result?.head.id === head.id && result.head.evaluationCount === head.evaluationCount ? result.open : null;
  }

  get size(): number {
    return this.entries.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (now - entry.at > this.ttlMs) this.entries.delete(key);
  }
}

const globalForPrefetch = globalThis as unknown as { rampartsOpenFindingsPrefetch?: OpenFindingsPrefetch };
export const openFindingsPrefetch: OpenFindingsPrefetch = (globalForPrefetch.rampartsOpenFindingsPrefetch ??= new OpenFindingsPrefetch());
