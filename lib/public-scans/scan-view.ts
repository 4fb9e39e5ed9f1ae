/**
 * What the public API, the stream and the pages show of a stored domain scan. The raw evidence (a few
 * hundred KB) stays out unless asked for; every check still carries the evidence its verdict rests on.
 * Type-only imports: the browser bundle imports these shapes too.
 */
import type { CheckGroup, CheckResult, DomainReport } from "@/lib/domain-check";

export type ScanStatus = "running" | "finished" | "failed";

/** A DomainReport without the raw evidence. */
export type PublicReport = Omit<DomainReport, "evidence"> & { evidence?: DomainReport["evidence"] };

export interface ScanGroupView {
  group: CheckGroup;
  title: string;
  checkCount: number;
  finished: boolean;
  checks: CheckResult[];
  /** Milliseconds after the start when the group finished. */
  elapsedMs: number | null;
}

export interface ScanFailure {
  code: "interrupted" | "timeout" | "internal";
  message: string;
}

export interface ScanView {
  id: string;
  domain: string;
  status: ScanStatus;
  startedAt: string;
  finishedAt: string | null;
  failure: ScanFailure | null;
  groups: ScanGroupView[];
  report: PublicReport | null;
  links: { self: string; events: string; page: string };
}

/** One finished group as stored in DomainScan.progress and sent on the stream. */
export interface GroupProgress {
  group: CheckGroup;
  title: string;
  checks: CheckResult[];
  elapsedMs: number;
}

/** The groups of the check and how many checks each holds (from the catalog, before any result). */
export interface GroupOutline {
  group: CheckGroup;
  title: string;
  checkCount: number;
}

export const FAILURE_MESSAGES: Record<ScanFailure["code"], string> = {
  interrupted: "The check was interrupted (the server restarted). Run it again.",
  timeout: "The check did not finish in time. Run it again in a minute.",
  internal: "The check failed on our side. It has been logged; run it again in a minute.",
};

export interface StoredScan {
  id: string;
  domain: string;
  status: ScanStatus;
  progress: unknown;
  report: unknown;
  failureCode: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export function scanLinks(id: string, domain: string): ScanView["links"] {
  return {
    self: `/api/public/domain-checks/${id}`,
    events: `/api/public/domain-checks/${id}/events`,
    page: `/check/${domain}`,
  };
}

export function failureOf(code: string | null): ScanFailure {
  const known = code === "interrupted" || code === "timeout" || code === "internal" ? code : "internal";
  return { code: known, message: FAILURE_MESSAGES[known] };
}

function progressOf(value: unknown): GroupProgress[] {
  return Array.isArray(value) ? (value as GroupProgress[]).filter((g) => g && typeof g.group === "string" && Array.isArray(g.checks)) : [];
}

export function toScanView(scan: StoredScan, outline: GroupOutline[], options: { includeEvidence?: boolean } = {}): ScanView {
  const report = scan.status === "finished" && scan.report ? (scan.report as DomainReport) : null;
  const progress = progressOf(scan.progress);
  const groups: ScanGroupView[] = outline.map((o) => {
    const fromReport = report?.groups.find((g) => g.group === o.group);
    const done = progress.find((g) => g.group === o.group);
    const checks = fromReport?.checks ?? done?.checks ?? [];
    return { group: o.group, title: o.title, checkCount: o.checkCount, finished: Boolean(fromReport ?? done), checks, elapsedMs: done?.elapsedMs ?? null };
  });
  let publicReport: PublicReport | null = null;
  if (report) {
    const { evidence, ...rest } = report;
    publicReport = options.includeEvidence ? { ...rest, evidence } : rest;
  }
  return {
    id: scan.id,
    domain: scan.domain,
    status: scan.status,
    startedAt: scan.startedAt.toISOString(),
    finishedAt: scan.finishedAt?.toISOString() ?? null,
    failure: scan.status === "failed" ? failureOf(scan.failureCode) : null,
    groups,
    report: publicReport,
    links: scanLinks(scan.id, scan.domain),
  };
}
