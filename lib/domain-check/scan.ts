import { setMaxListeners } from "node:events";
import tls from "node:tls";
import type { DnsResolver } from "./dns/dns-resolver";
import type { ConnectContext } from "./net/guarded-connect";
import { timeoutSignal } from "./net/timeout-signal";
import { type TargetPolicy, PUBLIC_TARGET_POLICY, assertIssuedPolicy } from "./policy";
import { probeDns } from "./probes/dns-probe";
import { probeHttp, probeOther } from "./probes/http-probe";
import { probeMail } from "./probes/mail-probe";
import type { DomainReport, ScanEvent, ScanProbe } from "./report";
import { CHECK_CATALOG } from "./rules/catalog";
import { recordsOf } from "./rules/dns-answers";
import { evaluateAll, evaluateGroup } from "./rules/evaluate";
import type { DomainEvidence, HttpEvidence, MailEvidence, OtherEvidence, TlsEvidence } from "./rules/evidence";
import { observatoryRequests } from "./rules/observatory/requests";
import { OBSERVATORY_ALGORITHM_VERSION, observatoryScore } from "./rules/observatory/score";
import { scoreDomain } from "./rules/score";
import { CHECK_GROUPS, GROUP_TITLES, type CheckGroup } from "./rules/types";
import { type TargetNameError, parseTargetName } from "./target-name";
import { probeTls } from "./tls/tls-probe";

/**
 * Runs a whole domain check: all probes in parallel under one deadline, each group evaluated and
 * announced as soon as the probes it reads have finished, then the score.
 */

export interface ScanOptions {
  policy: TargetPolicy;
  resolver: DnsResolver;
  /** PEM trust anchors; Node's bundled Mozilla roots by default. */
  trustAnchors?: string[];
  /** PEM intermediates, used only to recognise an incomplete chain (see docs/domain-check.md). */
  intermediates?: string[];
  /** HSTS preload entries (host -> includeSubDomains); empty unless supplied. */
  hstsPreload?: Record<string, { includeSubDomains: boolean }>;
  /** Probing deadline; the scan returns shortly after it whatever is still pending. Default 50 s. */
  deadlineMs?: number;
  signal?: AbortSignal;
  onEvent?: (event: ScanEvent) => void;
  /** Observes every connection attempt (address actually dialled). */
  onDial?: ConnectContext["onDial"];
  now?: () => Date;
}

export type PublicScanOptions = Omit<ScanOptions, "policy" | "onDial">;

export class InvalidTargetError extends Error {
  constructor(
    readonly code: TargetNameError,
    message: string,
  ) {
    super(message);
  }
}

/** Which probes each group's rules read. */
export const GROUP_PROBES: Record<CheckGroup, ScanProbe[]> = {
  "email-dns": ["dns", "mail"],
  tls: ["dns", "tls", "http"],
  http: ["dns", "http"],
  other: ["dns", "http", "other"],
};

const DEFAULT_DEADLINE_MS = 50_000;
const MAX_DEADLINE_MS = 55_000;

/** The scan entry point for the public web endpoint: always PUBLIC_TARGET_POLICY, no way to pass another. */
export function scanPublicDomain(input: string, options: PublicScanOptions): Promise<DomainReport> {
  return scanDomain(input, { ...options, policy: PUBLIC_TARGET_POLICY });
}

export async function scanDomain(input: string, options: ScanOptions): Promise<DomainReport> {
  assertIssuedPolicy(options.policy);
  const name = parseTargetName(input, options.policy);
  if (!name.ok) throw new InvalidTargetError(name.code, name.message);
  const domain = name.domain;
  const now = options.now ?? (() => new Date());
  const started = now();
  const startedMs = Date.now();
  const deadlineMs = Math.min(options.deadlineMs ?? DEFAULT_DEADLINE_MS, MAX_DEADLINE_MS);
  const signal = timeoutSignal(deadlineMs, options.signal);
  // Every request of the scan listens on this one signal.
  setMaxListeners(500, signal);
  const emit = (event: ScanEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A failing listener must not break the scan.
    }
  };
  emit({
    type: "scan-started",
    domain,
    startedAt: started.toISOString(),
    groups: CHECK_GROUPS.map((group) => ({ group, title: GROUP_TITLES[group], checkIds: CHECK_CATALOG.filter((c) => c.group === group).map((c) => c.id) })),
  });

  const ctx: ConnectContext = { resolver: options.resolver, policy: options.policy, signal, onDial: options.onDial };
  const trustAnchors = options.trustAnchors ?? [...tls.rootCertificates];
  const httpOptions = { request: { ctx, trustAnchors }, requestTimeoutMs: 8000, chainTimeoutMs: 12_000, hstsPreload: options.hstsPreload ?? {} };
  const timed = <T>(probe: ScanProbe, promise: Promise<T>) =>
    promise.then((value) => {
      emit({ type: "probe-finished", probe, elapsedMs: Date.now() - startedMs });
      return value;
    });

  const dns = timed("dns", probeDns(domain, options.resolver, signal));
  const webHost = dns.then((d) => (recordsOf(d.apexA).length + recordsOf(d.apexAAAA).length > 0 ? domain : recordsOf(d.wwwA).length + recordsOf(d.wwwAAAA).length > 0 ? `www.${domain}` : null));
  const mail = timed("mail", probeMail(domain, { resolver: options.resolver, signal, mx: dns.then((d) => d.mx), http: { ctx, trustAnchors, followRedirects: false }, httpTimeoutMs: 8000 }));
  const tlsEvidence = timed("tls", webHost.then((host) => probeTls(host, { ctx, trustAnchors, intermediates: options.intermediates ?? [], timeoutMs: 5000 })));
  const http = timed("http", webHost.then((host) => probeHttp(host, httpOptions)));
  const other = timed(
    "other",
    Promise.all([dns, webHost]).then(([d, host]) => probeOther(domain, host, recordsOf(d.wwwA).length + recordsOf(d.wwwAAAA).length > 0, httpOptions)),
  );

  const parts: Record<ScanProbe, Promise<unknown>> = { dns, mail, tls: tlsEvidence, http, other };
  // Placeholders are never read: a group is evaluated only once the probes in GROUP_PROBES have finished.
  const evidence = { domain, observedAt: started.toISOString() } as DomainEvidence;
  await Promise.all(
    CHECK_GROUPS.map(async (group) => {
      const values = await Promise.all(GROUP_PROBES[group].map((p) => parts[p]));
      GROUP_PROBES[group].forEach((p, i) => {
        (evidence as unknown as Record<string, unknown>)[p] = values[i];
      });
      emit({ type: "group-finished", group, title: GROUP_TITLES[group], checks: evaluateGroup(group, evidence), elapsedMs: Date.now() - startedMs });
    }),
  );
  const complete: DomainEvidence = { domain, observedAt: evidence.observedAt, dns: await dns, mail: (await mail) as MailEvidence, tls: (await tlsEvidence) as TlsEvidence, http: (await http) as HttpEvidence, other: (await other) as OtherEvidence };
  const report = buildReport(complete, started, now(), Date.now() - startedMs);
  emit({ type: "scan-finished", report });
  return report;
}

/** Re-grades recorded evidence: the same function the scan uses, so stored scans can be re-evaluated. */
export function buildReport(evidence: DomainEvidence, started: Date, finished: Date, durationMs: number): DomainReport {
  const checks = evaluateAll(evidence);
  const requests = observatoryRequests(evidence.http);
  const observatory = requests ? observatoryScore(requests) : null;
  return {
    domain: evidence.domain,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs,
    score: scoreDomain(checks, evidence),
    groups: CHECK_GROUPS.map((group) => ({ group, title: GROUP_TITLES[group], checks: checks.filter((c) => c.group === group) })),
    observatory: observatory ? { algorithmVersion: OBSERVATORY_ALGORITHM_VERSION, ...observatory } : null,
    evidence,
  };
}

/** The same scan as an async iterator of events (the last one carries the report). */
export async function* streamDomainScan(input: string, options: ScanOptions): AsyncGenerator<ScanEvent, void, undefined> {
  const queue: ScanEvent[] = [];
  let wake: (() => void) | null = null;
  let finished = false;
  let failure: unknown = null;
  const run = scanDomain(input, {
    ...options,
    onEvent: (event) => {
      options.onEvent?.(event);
      queue.push(event);
      wake?.();
    },
  }).then(
    () => {
      finished = true;
      wake?.();
    },
    (error) => {
      failure = error;
      finished = true;
      wake?.();
    },
  );
  while (true) {
    if (queue.length > 0) {
      yield queue.shift()!;
      continue;
    }
    if (finished) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
    wake = null;
  }
  await run;
  if (failure) throw failure;
}
