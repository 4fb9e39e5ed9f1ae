import { answered, normalizeHost, parseTagList, versionedTxt } from "./dns-answers";
import type { MailEvidence } from "./evidence";
import type { MailProfile } from "./mail-profile";
import type { Verdict } from "./types";

/** MTA-STS (RFC 8461): the `_mta-sts` TXT record and the policy served over HTTPS. */

export interface MtaStsPolicy {
  version: string | null;
  mode: string | null;
  mx: string[];
  maxAge: number | null;
  errors: string[];
}

export const MTA_STS_MAX_AGE_LIMIT = 31_557_600;

export function parseMtaStsPolicy(body: string): MtaStsPolicy {
  const policy: MtaStsPolicy = { version: null, mode: null, mx: [], maxAge: null, errors: [] };
  for (const rawLine of body.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line) continue;
    const colon = line.indexOf(":");
    if (colon <= 0) {
      policy.errors.push(`line "${line.slice(0, 80)}" is not key: value`);
      continue;
    }
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === "version") policy.version = value;
    else if (key === "mode") policy.mode = value;
    else if (key === "mx") policy.mx.push(value.toLowerCase());
    else if (key === "max_age") policy.maxAge = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  }
  if (policy.version !== "STSv1") policy.errors.push("version is not STSv1");
  if (!policy.mode || !["enforce", "testing", "none"].includes(policy.mode)) policy.errors.push("mode is not enforce, testing or none");
  if (policy.maxAge === null || Number.isNaN(policy.maxAge)) policy.errors.push("max_age is missing or not a number");
  if (policy.mode !== "none" && policy.mx.length === 0) policy.errors.push("no mx: lines");
  return policy;
}

/** `*.example.com` matches exactly one extra leftmost label (RFC 8461 §4.1). */
export function mxPatternMatches(pattern: string, host: string): boolean {
  const p = normalizeHost(pattern);
  const h = normalizeHost(host);
  if (p.startsWith("*.")) {
    const suffix = p.slice(1);
    return h.endsWith(suffix) && !h.slice(0, -suffix.length).includes(".") && h.length > suffix.length;
  }
  return p === h;
}

export function mtaStsVerdict(mail: MailEvidence, profile: MailProfile): Verdict {
  if (profile.unknown) return { status: "not-tested", summary: "The MX lookup failed.", evidence: {} };
  if (!profile.receivesMail) return { status: "not-applicable", summary: "The domain receives no mail (no MX hosts).", evidence: {} };
  const answer = mail.mtaSts.record;
  if (!answered(answer)) return { status: "not-tested", summary: `The DNS query for ${answer.name} failed.`, evidence: {} };
  const records = versionedTxt(answer, "STSv1");
  if (records.length === 0) return { status: "warn", summary: `No MTA-STS record at ${answer.name}: senders may deliver mail without TLS.`, evidence: {} };
  if (records.length > 1) return { status: "fail", summary: `${records.length} MTA-STS records: senders treat this as no policy.`, evidence: { records } };
  const id = parseTagList(records[0]!).tags.get("id");
  const evidence: Record<string, unknown> = { record: records[0], mxHosts: profile.mxHosts };
  if (!id || !/^[a-zA-Z0-9]{1,32}$/.test(id)) return { status: "fail", summary: "The MTA-STS record has no valid id= (1-32 letters and digits).", evidence };
  const fetch = mail.mtaSts.policy;
  if (!fetch) return { status: "not-tested", summary: "The policy was not fetched.", evidence };
  evidence.policyUrl = fetch.url;
  if (fetch.outcome === "timeout") return { status: "not-tested", summary: `The policy at ${fetch.url} did not answer in time.`, evidence };
  if (fetch.outcome !== "response") return { status: "fail", summary: `The policy at ${fetch.url} could not be fetched (${fetch.error ?? fetch.outcome}).`, evidence };
  if (fetch.tlsVerified !== true) return { status: "fail", summary: `The policy host's certificate is not valid (${fetch.tlsError ?? "unverified"}); senders ignore the policy.`, evidence };
  if (fetch.status !== 200) return { status: "fail", summary: `The policy URL answered HTTP ${fetch.status} (redirects are not followed for MTA-STS).`, evidence };
  const policy = parseMtaStsPolicy(fetch.body ?? "");
  Object.assign(evidence, { mode: policy.mode, mx: policy.mx, maxAge: policy.maxAge, errors: policy.errors });
  if (policy.errors.length > 0) return { status: "fail", summary: `The policy is invalid: ${policy.errors.join("; ")}.`, evidence };
  const uncovered = policy.mode === "none" ? [] : profile.mxHosts.filter((host) => !policy.mx.some((pattern) => mxPatternMatches(pattern, host)));
  evidence.uncoveredMx = uncovered;
  if (uncovered.length > 0) return { status: "fail", summary: `MX host${uncovered.length > 1 ? "s" : ""} ${uncovered.join(", ")} not covered by the policy: mail to ${uncovered.length > 1 ? "them" : "it"} would fail under enforce.`, evidence };
  if (policy.maxAge! > MTA_STS_MAX_AGE_LIMIT) return { status: "fail", summary: `max_age ${policy.maxAge} exceeds the limit of ${MTA_STS_MAX_AGE_LIMIT}.`, evidence };
  if (policy.mode !== "enforce") return { status: "warn", summary: `The policy is in ${policy.mode} mode: it does not yet protect mail.`, evidence };
  if (policy.maxAge! < 86_400) return { status: "warn", summary: `max_age ${policy.maxAge} s is under a day; senders forget the policy quickly.`, evidence };
  return { status: "pass", summary: "MTA-STS policy in enforce mode covers every MX host.", evidence };
}
