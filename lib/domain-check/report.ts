import type { DomainEvidence } from "./rules/evidence";
import type { DomainScore } from "./rules/score";
import type { CheckGroup, CheckResult } from "./rules/types";

/** What a finished scan returns (and what phase 2 stores and renders). */

export interface GroupSummary {
  group: CheckGroup;
  title: string;
  checks: CheckResult[];
}

export interface DomainReport {
  domain: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  score: DomainScore;
  groups: GroupSummary[];
  /** The MDN HTTP Observatory's own score for the HTTP checks (algorithm v6), null when it would not grade. */
  observatory: { algorithmVersion: number; score: number; grade: string; results: Record<string, string> } | null;
  /** Everything the probes recorded; the score and every verdict are pure functions of it. */
  evidence: DomainEvidence;
}

export type ScanProbe = "dns" | "mail" | "tls" | "http" | "other";

export type ScanEvent =
  | { type: "scan-started"; domain: string; startedAt: string; groups: { group: CheckGroup; title: string; checkIds: string[] }[] }
  | { type: "probe-finished"; probe: ScanProbe; elapsedMs: number }
  | { type: "group-finished"; group: CheckGroup; title: string; checks: CheckResult[]; elapsedMs: number }
  | { type: "scan-finished"; report: DomainReport };
