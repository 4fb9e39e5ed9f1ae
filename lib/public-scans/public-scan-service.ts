/**
 * The public domain check as a use case: validate the name under the public policy, then reuse a recent
 * finished scan, join a running one, or start a new one, within the limits that keep strangers from using
 * us to hammer a target or from running us out of capacity:
 *
 * - a finished scan is reused for REUSE_MS (5 min) instead of rescanning;
 * - at most one fresh scan of a domain per DOMAIN_COOLDOWN_MS (1 min), across instances (advisory lock);
 * - new scans per client address per 10 minutes, and scans running at once per instance (429 + Retry-After).
 */
import crypto from "node:crypto";
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import { PUBLIC_TARGET_POLICY, parseTargetName } from "@/lib/domain-check";
import { AppError } from "@/lib/errors";
import { RateLimiter } from "@/lib/security/rate-limiter";
import { deleteScansStartedBefore, findScan, insertRunningScan, latestFinishedScanOf, latestScanOf } from "./scan-store";
import { type RunnerListener, ScanRunner, type ScanFunction } from "./scan-runner";
import type { StoredScan } from "./scan-view";

export const REUSE_MS = 5 * 60_000;
export const DOMAIN_COOLDOWN_MS = 60_000;
/** A shared result page shows the latest finished scan up to this age before starting a new one. */
export const SHARE_MAX_AGE_MS = 24 * 3600_000;
const CLIENT_WINDOW_MS = 10 * 60_000;
/** Any request to the public API (polls, streams, starts) per client address per minute. */
export const REQUESTS_PER_CLIENT_PER_MINUTE = 120;
const RETENTION_SWEEP_EVERY_MS = 3600_000;
/** Event streams one client address may hold open at once (per instance). */
export const STREAMS_PER_CLIENT = 4;
/** Keyspace of the per-domain advisory locks (two-key form, apart from other locks). */
const DOMAIN_LOCK_CLASS = 64_011;

export type ScanRequestOutcome = "started" | "joined" | "reused";

export interface PublicScanServiceOptions {
  db: () => Promise<PrismaClient>;
  scan: ScanFunction;
  scansPerClientPer10Minutes: number;
  maxConcurrentScans: number;
  retentionDays: number;
  /** Key of the requester hash (HMAC-SHA-256 of the client address). */
  requesterKey: string | Buffer;
  now?: () => Date;
  onError?: (event: string, fields: Record<string, unknown>) => void;
}

export class PublicScanService {
  readonly runner: ScanRunner;
  private readonly clientScans: RateLimiter;
  private readonly clientRequests: RateLimiter;
  private readonly now: () => Date;
  private lastSweep = 0;
  private readonly openStreams = new Map<string, number>();

  constructor(private readonly options: PublicScanServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.runner = new ScanRunner({ db: options.db, scan: options.scan, now: this.now, onError: options.onError });
    const clock = () => this.now().getTime();
    this.clientScans = new RateLimiter({ limit: options.scansPerClientPer10Minutes, windowMs: CLIENT_WINDOW_MS }, 50_000, clock);
    this.clientRequests = new RateLimiter({ limit: REQUESTS_PER_CLIENT_PER_MINUTE, windowMs: 60_000 }, 50_000, clock);
  }

  /** Counts one API request of a client; throws 429 beyond the per-minute limit. */
  takeRequest(client: string): void {
    const decision = this.clientRequests.take(client);
    if (!decision.allowed) throw rateLimited(`Too many requests from your address. Try again in ${decision.retryAfterSeconds} s.`, decision.retryAfterSeconds, "client");
  }

  /** Reserves one of the client's event streams; call the returned function when the stream ends. */
  openStream(client: string): () => void {
    const open = this.openStreams.get(client) ?? 0;
    if (open >= STREAMS_PER_CLIENT) throw rateLimited(`At most ${STREAMS_PER_CLIENT} progress streams per address at once. Close one, or poll instead.`, 5, "client");
    this.openStreams.set(client, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.openStreams.get(client) ?? 1) - 1;
      if (left <= 0) this.openStreams.delete(client);
      else this.openStreams.set(client, left);
    };
  }

  requesterHash(client: string): string {
    return crypto.createHmac("sha256", this.options.requesterKey).update(client).digest("hex").slice(0, 32);
  }

  /** Validates the name (public policy, always) and returns its normalized form. */
  normalize(input: string): string {
    const name = parseTargetName(input, PUBLIC_TARGET_POLICY);
    if (!name.ok) throw new AppError("validation_failed", name.message, { field: "domain", reason: name.code });
    return name.domain;
  }

  /** Reuses, joins or starts the check of `input` for `client`. */
  async request(input: string, client: string): Promise<{ outcome: ScanRequestOutcome; scan: StoredScan }> {
    const domain = this.normalize(input);
    const prisma = await this.options.db();
    const now = this.now();
    const decision = await prisma.$transaction(async (tx) => {
      // One decision per domain at a time, across instances: no duplicate scans of the same target.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${DOMAIN_LOCK_CLASS}::int, hashtext(${domain}))`;
      const latest = await latestScanOf(tx, domain, now);
      if (latest?.status === "running") return { outcome: "joined" as const, scan: latest };
      if (latest?.status === "finished" && latest.finishedAt && now.getTime() - latest.finishedAt.getTime() < REUSE_MS) return { outcome: "reused" as const, scan: latest };
      if (latest && now.getTime() - latest.startedAt.getTime() < DOMAIN_COOLDOWN_MS) {
        const wait = Math.max(1, Math.ceil((latest.startedAt.getTime() + DOMAIN_COOLDOWN_MS - now.getTime()) / 1000));
        throw rateLimited(`${domain} was checked less than a minute ago. Try again in ${wait} s.`, wait, "domain");
      }
      if (this.runner.runningCount >= this.options.maxConcurrentScans) {
        throw rateLimited("Too many checks are running right now. Try again in 15 s.", 15, "busy");
      }
      const allowed = this.clientScans.take(client);
      if (!allowed.allowed) {
        throw rateLimited(`You have started ${this.options.scansPerClientPer10Minutes} checks in the last 10 minutes. Try again in ${formatWait(allowed.retryAfterSeconds)}.`, allowed.retryAfterSeconds, "client");
      }
      return { outcome: "started" as const, scan: await insertRunningScan(tx, { domain, requesterHash: this.requesterHash(client), now }) };
    });
    this.sweepExpired(prisma, now);
    if (decision.outcome === "started") {
      void this.runner.start(decision.scan.id, domain).catch((error) => this.options.onError?.("domain_scan.runner_failed", { scanId: decision.scan.id, error }));
    }
    return decision;
  }

  async get(id: string): Promise<StoredScan | null> {
    return findScan(await this.options.db(), id, this.now());
  }

  /** The scan a shared page shows: the latest finished one under a day old, else the running one, else none. */
  async latestForPage(domain: string): Promise<StoredScan | null> {
    const prisma = await this.options.db();
    const now = this.now();
    const latest = await latestScanOf(prisma, domain, now);
    if (latest?.status === "running") return latest;
    return latestFinishedScanOf(prisma, domain, new Date(now.getTime() - SHARE_MAX_AGE_MS));
  }

  subscribe(id: string, listener: RunnerListener) {
    return this.runner.subscribe(id, listener);
  }

  /** Lazy retention: at most once an hour per process, on a new request, in the background. */
  private sweepExpired(prisma: PrismaClient, now: Date): void {
    if (now.getTime() - this.lastSweep < RETENTION_SWEEP_EVERY_MS) return;
    this.lastSweep = now.getTime();
    const cutoff = new Date(now.getTime() - this.options.retentionDays * 86_400_000);
    void deleteScansStartedBefore(prisma, cutoff).catch((error) => this.options.onError?.("domain_scan.retention_failed", { error }));
  }

  /** Runs the retention sweep now (tests, operators). */
  async deleteExpired(): Promise<number> {
    const now = this.now();
    return deleteScansStartedBefore(await this.options.db(), new Date(now.getTime() - this.options.retentionDays * 86_400_000));
  }
}

function rateLimited(message: string, retryAfterSeconds: number, reason: "client" | "domain" | "busy"): AppError {
  return new AppError("rate_limited", message, { retryAfterSeconds, reason });
}

function formatWait(seconds: number): string {
  return seconds >= 90 ? `${Math.ceil(seconds / 60)} min` : `${seconds} s`;
}
