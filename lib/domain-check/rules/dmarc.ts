import { getDomain } from "tldts";
import { answered, parseTagList, recordsOf, versionedTxt } from "./dns-answers";
import type { DnsAnswer, MailEvidence } from "./evidence";
import { notTested } from "./spf";
import type { Verdict } from "./types";

/** DMARC (RFC 7489, updated by RFC 9989): record discovery, effective policy, reporting. */

export type DmarcPolicy = "none" | "quarantine" | "reject";

export interface ParsedDmarc {
  record: string;
  /** Where the record was found: the domain itself or its organizational domain. */
  foundAt: string;
  fromOrganizationalDomain: boolean;
  p: DmarcPolicy | null;
  sp: DmarcPolicy | null;
  testMode: boolean;
  pct: number | null;
  rua: string[];
  ruf: string[];
  errors: string[];
  /** p (or sp for the organizational fallback), defaulting to none, then lowered one step by t=y. */
  appliedPolicy: DmarcPolicy;
}

const POLICIES = new Set(["none", "quarantine", "reject"]);

export function parseDmarc(record: string, foundAt: string, fromOrganizationalDomain: boolean): ParsedDmarc {
  const { tags, duplicates, malformed } = parseTagList(record);
  const errors: string[] = [...duplicates.map((d) => `tag ${d} appears twice`), ...malformed.map((m) => `malformed part "${m}"`)];
  const policy = (name: string): DmarcPolicy | null => {
    const value = tags.get(name)?.toLowerCase();
    if (value === undefined) return null;
    if (!POLICIES.has(value)) {
      errors.push(`${name}=${value} is not none, quarantine or reject`);
      return null;
    }
    return value as DmarcPolicy;
  };
  const p = policy("p");
  const sp = policy("sp");
  const t = tags.get("t")?.toLowerCase();
  if (t !== undefined && t !== "y" && t !== "n") errors.push(`t=${t} is not y or n`);
  const pctRaw = tags.get("pct");
  const pct = pctRaw === undefined ? null : Number.parseInt(pctRaw, 10);
  if (pctRaw !== undefined && (!/^\d{1,3}$/.test(pctRaw) || pct! > 100)) errors.push(`pct=${pctRaw} is not 0..100`);
  const uris = (name: string) =>
    (tags.get(name) ?? "")
      .split(",")
      .map((u) => u.trim())
      .filter(Boolean);
  const rua = uris("rua");
  const ruf = uris("ruf");
  for (const uri of [...rua, ...ruf]) if (!/^(mailto:|https:)/i.test(uri)) errors.push(`report URI ${uri} is not mailto: or https:`);
  const testMode = t === "y";
  let applied: DmarcPolicy = (fromOrganizationalDomain ? (sp ?? p) : p) ?? "none";
  if (testMode) applied = applied === "reject" ? "quarantine" : "none";
  return { record, foundAt, fromOrganizationalDomain, p, sp, testMode, pct, rua, ruf, errors, appliedPolicy: applied };
}

export function dmarcRecords(answer: DnsAnswer<string> | null | undefined): string[] {
  return versionedTxt(answer, "DMARC1");
}

/** The DMARC record that applies to the domain, or null when there is none (or the lookup failed). */
export function effectiveDmarc(mail: MailEvidence): ParsedDmarc | null {
  const own = dmarcRecords(mail.dmarc);
  if (own.length === 1) return parseDmarc(own[0]!, mail.dmarc.name.replace(/^_dmarc\./, ""), false);
  if (own.length > 1) return null;
  const org = mail.dmarcOrganizational;
  if (org && answered(mail.dmarc)) {
    const records = dmarcRecords(org.answer);
    if (records.length === 1) return parseDmarc(records[0]!, org.domain, true);
  }
  return null;
}

export function dmarcRecordVerdict(mail: MailEvidence): Verdict {
  if (!answered(mail.dmarc)) return notTested(mail.dmarc);
  const own = dmarcRecords(mail.dmarc);
  if (own.length > 1) return { status: "fail", summary: `${own.length} DMARC records at ${mail.dmarc.name}: receivers ignore them all.`, evidence: { records: own } };
  if (own.length === 1) return { status: "pass", summary: `DMARC record found at ${mail.dmarc.name}.`, evidence: { record: own[0] } };
  const org = mail.dmarcOrganizational;
  if (org) {
    if (!answered(org.answer)) return notTested(org.answer);
    const records = dmarcRecords(org.answer);
    if (records.length === 1) return { status: "pass", summary: `No record at ${mail.dmarc.name}; the organizational domain's record at ${org.answer.name} applies.`, evidence: { record: records[0], foundAt: org.answer.name } };
    if (records.length > 1) return { status: "fail", summary: `${records.length} DMARC records at ${org.answer.name}.`, evidence: { records } };
  }
  return { status: "fail", summary: `No DMARC record at ${mail.dmarc.name}.`, evidence: { txt: recordsOf(mail.dmarc) } };
}

export function dmarcPolicyVerdict(mail: MailEvidence): Verdict {
  const record = dmarcRecordVerdict(mail);
  if (record.status !== "pass") return { ...record, summary: record.status === "not-tested" ? record.summary : "There is no valid DMARC record, so no policy applies." };
  const dmarc = effectiveDmarc(mail)!;
  const evidence = { record: dmarc.record, p: dmarc.p, sp: dmarc.sp, t: dmarc.testMode ? "y" : null, pct: dmarc.pct, appliedPolicy: dmarc.appliedPolicy, errors: dmarc.errors };
  if (dmarc.errors.length > 0) return { status: "fail", summary: `The DMARC record is invalid: ${dmarc.errors.join("; ")}.`, evidence };
  const note = dmarc.testMode ? " (t=y lowers it one step)" : "";
  if (dmarc.appliedPolicy === "none") return { status: "fail", summary: `The applied policy is none${note}: spoofed mail is still delivered.`, evidence };
  if (dmarc.appliedPolicy === "quarantine" && dmarc.pct !== null && dmarc.pct < 100)
    return { status: "warn", summary: `quarantine applies to only ${dmarc.pct}% of failing mail (pct).`, evidence };
  return { status: "pass", summary: `Failing mail is ${dmarc.appliedPolicy === "reject" ? "rejected" : "quarantined"}${note}.`, evidence };
}

/** Report destinations outside the domain's organization must authorize it (RFC 7489 §7.1). */
export function externalReportDomains(dmarc: ParsedDmarc): string[] {
  const own = getDomain(dmarc.foundAt) ?? dmarc.foundAt;
  const result = new Set<string>();
  for (const uri of [...dmarc.rua, ...dmarc.ruf]) {
    const match = /^mailto:[^@]+@([^!?,\s]+)/i.exec(uri);
    if (!match) continue;
    const host = match[1]!.toLowerCase().replace(/\.$/, "");
    if ((getDomain(host) ?? host) !== own) result.add(host);
  }
  return [...result];
}

export function dmarcReportingVerdict(mail: MailEvidence): Verdict {
  const record = dmarcRecordVerdict(mail);
  if (record.status !== "pass") return { ...record, status: record.status === "not-tested" ? "not-tested" : "warn", summary: record.status === "not-tested" ? record.summary : "No DMARC record, so no reports are sent." };
  const dmarc = effectiveDmarc(mail)!;
  const evidence: Record<string, unknown> = { rua: dmarc.rua, ruf: dmarc.ruf };
  if (dmarc.rua.length === 0) return { status: "warn", summary: "No rua= address: you receive no aggregate reports.", evidence };
  const unauthorized: string[] = [];
  for (const host of externalReportDomains(dmarc)) {
    const answer = mail.dmarcReportAuthorizations[host];
    if (!answered(answer)) return { status: "not-tested", summary: `Could not check whether ${host} accepts reports for this domain.`, evidence };
    if (dmarcRecords(answer).length === 0) unauthorized.push(host);
  }
  evidence.unauthorizedDestinations = unauthorized;
  if (unauthorized.length > 0) return { status: "warn", summary: `${unauthorized.join(", ")} does not authorize reports for ${dmarc.foundAt} (missing ${dmarc.foundAt}._report._dmarc.${unauthorized[0]}).`, evidence };
  return { status: "pass", summary: `Aggregate reports go to ${dmarc.rua.join(", ")}.`, evidence };
}
