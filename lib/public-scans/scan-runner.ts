/**
 * Runs public domain checks inside the server process: one scan per DomainScan row, its groups written as
 * they finish, a heartbeat while it runs, a hard time limit, and listeners (the event streams) told about
 * every step. Listeners of a scan running in another process read the database instead (see the stream).
 */
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import type { DomainReport, ScanEvent } from "@/lib/domain-check";
import { HEARTBEAT_INTERVAL_MS, recordFailed, recordFinished, recordHeartbeat, recordProgress } from "./scan-store";
import type { GroupProgress, ScanFailure } from "./scan-view";

/** Scans a domain that has already been validated; the production one is scanPublicDomain (public-domain-checks.ts). */
export type ScanFunction = (domain: string, options: { signal: AbortSignal; onEvent: (event: ScanEvent) => void }) => Promise<DomainReport>;

export type RunnerEvent =
  | { type: "probe-finished"; probe: string; elapsedMs: number }
  | { type: "group-finished"; progress: GroupProgress }
  | { type: "scan-finished" }
  | { type: "scan-failed"; code: ScanFailure["code"] };

export type RunnerListener = (event: RunnerEvent) => void;

interface Entry {
  domain: string;
  groups: GroupProgress[];
  listeners: Set<RunnerListener>;
}

export interface ScanRunnerOptions {
  db: () => Promise<Pick<PrismaClient, "domainScan">>;
  scan: ScanFunction;
  /** The scan is failed ("timeout") and aborted if it has not finished by then. The library's own deadline is 50 s. */
  hardLimitMs?: number;
  heartbeatMs?: number;
  now?: () => Date;
  onError?: (event: string, fields: Record<string, unknown>) => void;
}

/** 58 s: the whole check, storage included, stays inside the promised minute. */
export const HARD_LIMIT_MS = 58_000;

export class ScanRunner {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly options: ScanRunnerOptions) {}

  get runningCount(): number {
    return this.entries.size;
  }

  isRunning(id: string): boolean {
    return this.entries.has(id);
  }

  /** Follows a scan running here: the groups finished so far, then every event. Null if it is not running here. */
  subscribe(id: string, listener: RunnerListener): { groups: GroupProgress[]; unsubscribe: () => void } | null {
    const entry = this.entries.get(id);
    if (!entry) return null;
    entry.listeners.add(listener);
    return { groups: [...entry.groups], unsubscribe: () => entry.listeners.delete(listener) };
  }

  /** Starts the scan of a stored running row; resolves once its outcome is stored. */
  start(id: string, domain: string): Promise<void> {
    const entry: Entry = { domain, groups: [], listeners: new Set() };
    this.entries.set(id, entry);
    return this.run(id, entry);
  }

  private notify(entry: Entry, event: RunnerEvent): void {
    for (const listener of entry.listeners) {
      try {
        listener(event);
      } catch {
        // A broken stream must not break the scan.
      }
    }
  }

  private async run(id: string, entry: Entry): Promise<void> {
    const now = this.options.now ?? (() => new Date());
    const report = (event: string, fields: Record<string, unknown>) => this.options.onError?.(event, { scanId: id, ...fields });
    const db = await this.options.db();
    let writes: Promise<void> = Promise.resolve();
    const write = (step: () => Promise<void>) => {
      writes = writes.then(step).catch((error) => report("domain_scan.write_failed", { error }));
      return writes;
    };
    const controller = new AbortController();
    const heartbeat = setInterval(() => void write(() => recordHeartbeat(db, id, now())), this.options.heartbeatMs ?? HEARTBEAT_INTERVAL_MS);
    let timer: NodeJS.Timeout | undefined;
    const hardLimit = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), this.options.hardLimitMs ?? HARD_LIMIT_MS);
    });
    try {
      const scan = this.options
        .scan(entry.domain, {
          signal: controller.signal,
          onEvent: (event) => {
            if (event.type === "probe-finished") this.notify(entry, { type: "probe-finished", probe: event.probe, elapsedMs: event.elapsedMs });
            if (event.type === "group-finished") {
              const progress: GroupProgress = { group: event.group, title: event.title, checks: event.checks, elapsedMs: event.elapsedMs };
              entry.groups.push(progress);
              this.notify(entry, { type: "group-finished", progress });
              const snapshot = [...entry.groups];
              void write(() => recordProgress(db, id, snapshot, now()));
            }
          },
        })
        .then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));
      const outcome = await Promise.race([scan, hardLimit]);
      clearInterval(heartbeat);
      if (outcome === "timeout") {
        controller.abort();
        report("domain_scan.timeout", { domain: entry.domain });
        await write(() => recordFailed(db, id, "timeout", now()));
        this.notify(entry, { type: "scan-failed", code: "timeout" });
      } else if (!outcome.ok) {
        report("domain_scan.failed", { domain: entry.domain, error: outcome.error });
        await write(() => recordFailed(db, id, "internal", now()));
        this.notify(entry, { type: "scan-failed", code: "internal" });
      } else {
        await write(() => recordFinished(db, id, outcome.value, now()));
        this.notify(entry, { type: "scan-finished" });
      }
    } finally {
      clearInterval(heartbeat);
      clearTimeout(timer);
      this.entries.delete(id);
    }
  }
}
