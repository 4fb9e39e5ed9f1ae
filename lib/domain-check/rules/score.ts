import { answered } from "./dns-answers";
import type { DomainEvidence } from "./evidence";
import { mailProfile } from "./mail-profile";
import type { CheckResult, CheckStatus } from "./types";

/**
 * The domain score (docs/domain-score.md): weighted points of tested checks, then caps for the failures
 * that matter most, then a grade. Checks that could not run leave the score; too many make it "incomplete".
 */

export const SCORE_ALGORITHM_VERSION = 1;
/** Share of weighted points that may be untested before the scan is "incomplete" instead of graded. */
export const MAX_UNTESTED_SHARE = 0.25;

export type Grade = "A+" | "A" | "B" | "C" | "D" | "F";

export interface ScoreCap {
  id: "no-https" | "untrusted-certificate" | "legacy-tls" | "no-dmarc";
  limit: number;
  reason: string;
}

export interface DomainScore {
  algorithmVersion: number;
  kind: "graded" | "incomplete";
  /** 0-100 after caps; null when incomplete. */
  score: number | null;
  grade: Grade | null;
  /** Before caps. */
  rawScore: number | null;
  earnedPoints: number;
  possiblePoints: number;
  untestedPoints: number;
  caps: ScoreCap[];
  counts: Record<CheckStatus, number>;
}

const CREDIT: Partial<Record<CheckStatus, number>> = { pass: 1, warn: 0.5, fail: 0 };

export function gradeFor(score: number, hasFail: boolean, capped: boolean): Grade {
  if (score >= 95 && !hasFail && !capped) return "A+";
  if (score >= 85) return "A";
  if (score >= 70) return "B";
  if (score >= 55) return "C";
  if (score >= 40) return "D";
  return "F";
}

export function scoreCaps(checks: CheckResult[], evidence: DomainEvidence): ScoreCap[] {
  const status = (id: string) => checks.find((c) => c.id === id)?.status;
  const caps: ScoreCap[] = [];
  if (status("https-available") === "fail") caps.push({ id: "no-https", limit: 39, reason: "The site is served without working HTTPS." });
  const badCert = ["cert-trust", "cert-hostname", "cert-expiry"].filter((id) => status(id) === "fail");
  if (badCert.length > 0) caps.push({ id: "untrusted-certificate", limit: 49, reason: `The certificate is ${badCert.map((id) => ({ "cert-trust": "untrusted", "cert-hostname": "for another name", "cert-expiry": "expired or not yet valid" })[id]).join(", ")}.` });
  const legacy = evidence.tls.addresses.some((a) => a.versions.TLSv1 === "accepted" || a.versions["TLSv1.1"] === "accepted" || a.sslv3 === "accepted");
  if (legacy) caps.push({ id: "legacy-tls", limit: 79, reason: "TLS 1.0/1.1 (or SSL 3.0) is offered." });
  if (answered(evidence.dns.mx) && mailProfile(evidence.dns, evidence.mail).receivesMail && status("dmarc-record") === "fail")
    caps.push({ id: "no-dmarc", limit: 69, reason: "The domain receives mail but has no valid DMARC record." });
  return caps;
}

export function scoreDomain(checks: CheckResult[], evidence: DomainEvidence): DomainScore {
  const counts = { pass: 0, warn: 0, fail: 0, info: 0, "not-applicable": 0, "not-tested": 0 } as Record<CheckStatus, number>;
  let earned = 0;
  let possible = 0;
  let untested = 0;
  for (const check of checks) {
    counts[check.status] += 1;
    const credit = CREDIT[check.status];
    if (credit !== undefined) {
      earned += check.points * credit;
      possible += check.points;
    } else if (check.status === "not-tested") {
      untested += check.points;
    }
  }
  const caps = scoreCaps(checks, evidence);
  const base = { algorithmVersion: SCORE_ALGORITHM_VERSION, earnedPoints: earned, possiblePoints: possible, untestedPoints: untested, caps, counts };
  if (possible === 0 || untested > MAX_UNTESTED_SHARE * (possible + untested)) return { ...base, kind: "incomplete", score: null, grade: null, rawScore: null };
  const rawScore = Math.round((100 * earned) / possible);
  const score = Math.min(rawScore, ...caps.map((c) => c.limit));
  return { ...base, kind: "graded", score, grade: gradeFor(score, counts.fail > 0, caps.length > 0), rawScore };
}
