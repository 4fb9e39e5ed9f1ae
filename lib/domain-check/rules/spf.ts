import { answered, normalizeHost, recordsOf, versionedTxt } from "./dns-answers";
import type { DnsAnswer, MailEvidence } from "./evidence";
import type { Verdict } from "./types";

/** SPF (RFC 7208): parsing, the `all` qualifier and the DNS-lookup budget. */

export type SpfQualifier = "+" | "-" | "~" | "?";
export interface SpfMechanism {
  qualifier: SpfQualifier;
  name: string;
  value: string | null;
}
export interface ParsedSpf {
  mechanisms: SpfMechanism[];
  modifiers: Map<string, string>;
  errors: string[];
}

const MECHANISMS = new Set(["all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"]);
const LOOKUP_TERMS = new Set(["include", "a", "mx", "ptr", "exists"]);

export function spfRecords(answer: DnsAnswer<string> | null | undefined): string[] {
  return versionedTxt(answer, "spf1");
}

export function parseSpf(record: string): ParsedSpf {
  const mechanisms: SpfMechanism[] = [];
  const modifiers = new Map<string, string>();
  const errors: string[] = [];
  const terms = record.trim().split(/\s+/).slice(1);
  for (const term of terms) {
    const modifier = /^([a-z][a-z0-9_.-]*)=(.*)$/i.exec(term);
    if (modifier && !MECHANISMS.has(modifier[1]!.toLowerCase())) {
      const name = modifier[1]!.toLowerCase();
      if (modifiers.has(name) && (name === "redirect" || name === "exp")) errors.push(`"${name}=" appears twice`);
      modifiers.set(name, modifier[2]!);
      continue;
    }
    const m = /^([+\-~?]?)([a-z0-9]+)(?:[:/](.*))?$/i.exec(term);
    const name = m?.[2]?.toLowerCase();
    if (!m || !name || !MECHANISMS.has(name)) {
      errors.push(`unknown term "${term}"`);
      continue;
    }
    const value = term.includes(":") ? term.slice(term.indexOf(":") + 1) : null;
    if ((name === "include" || name === "exists" || name === "ip4" || name === "ip6") && !value) {
      errors.push(`"${name}" needs a value`);
    }
    if (name === "all" && m[3] !== undefined) errors.push(`"all" takes no value`);
    mechanisms.push({ qualifier: ((m[1] || "+") as SpfQualifier), name, value });
  }
  return { mechanisms, modifiers, errors };
}

interface LookupCount {
  lookups: number;
  voidLookups: number;
  usesPtr: boolean;
  errors: string[];
  /** Targets whose TXT could not be read: the count is then a lower bound. */
  unknownTargets: string[];
}

/** Counts DNS-querying terms through include and redirect, as receivers do (RFC 7208 §4.6.4). */
export function countSpfLookups(record: string, targets: Record<string, DnsAnswer<string>>): LookupCount {
  const result: LookupCount = { lookups: 0, voidLookups: 0, usesPtr: false, errors: [], unknownTargets: [] };
  const visit = (text: string, depth: number, seen: Set<string>) => {
    if (depth > 12) {
      result.errors.push("include loop or nesting too deep");
      return;
    }
    const parsed = parseSpf(text);
    result.errors.push(...parsed.errors);
    const follow = (target: string, what: string) => {
      const host = normalizeHost(target);
      if (seen.has(host)) {
        result.errors.push(`${what} loop through ${host}`);
        return;
      }
      const answer = targets[host];
      if (!answered(answer)) {
        result.unknownTargets.push(host);
        return;
      }
      const records = spfRecords(answer);
      if (answer!.outcome !== "records") result.voidLookups += 1;
      if (records.length !== 1) {
        result.errors.push(`${what} target ${host} has ${records.length === 0 ? "no" : "more than one"} SPF record`);
        return;
      }
      visit(records[0]!, depth + 1, new Set([...seen, host]));
    };
    for (const mechanism of parsed.mechanisms) {
      if (!LOOKUP_TERMS.has(mechanism.name)) continue;
      result.lookups += 1;
      if (mechanism.name === "ptr") result.usesPtr = true;
      if (mechanism.name === "include" && mechanism.value && !mechanism.value.includes("%")) follow(mechanism.value, "include");
    }
    const redirect = parsed.modifiers.get("redirect");
    if (redirect && !parsed.mechanisms.some((m) => m.name === "all")) {
      result.lookups += 1;
      if (!redirect.includes("%")) follow(redirect, "redirect");
    }
  };
  visit(record, 0, new Set());
  return result;
}

/** The qualifier that applies to unlisted senders, following redirect= (RFC 7208 §6.1). */
export function finalAllQualifier(record: string, targets: Record<string, DnsAnswer<string>>): SpfQualifier | null | "unknown" {
  let current = record;
  for (let hop = 0; hop < 10; hop++) {
    const parsed = parseSpf(current);
    const all = parsed.mechanisms.find((m) => m.name === "all");
    if (all) return all.qualifier;
    const redirect = parsed.modifiers.get("redirect");
    if (!redirect) return null;
    const answer = targets[normalizeHost(redirect)];
    if (!answered(answer)) return "unknown";
    const next = spfRecords(answer);
    if (next.length !== 1) return null;
    current = next[0]!;
  }
  return null;
}

export function spfRecordVerdict(mail: MailEvidence): Verdict {
  if (!answered(mail.apexTxt)) return notTested(mail.apexTxt);
  const records = spfRecords(mail.apexTxt);
  if (records.length === 0) return { status: "fail", summary: "No SPF record: any server can send mail as this domain.", evidence: { txt: recordsOf(mail.apexTxt) } };
  if (records.length > 1) return { status: "fail", summary: `${records.length} SPF records: receivers treat this as a permanent error (no SPF).`, evidence: { records } };
  return { status: "pass", summary: "One SPF record is published.", evidence: { record: records[0] } };
}

export function spfAllVerdict(mail: MailEvidence): Verdict {
  const record = singleSpf(mail);
  if (!record) return dependsOnRecord(mail);
  const qualifier = finalAllQualifier(record, mail.spfTargets);
  const evidence = { record, all: qualifier === null ? null : qualifier === "unknown" ? "unknown" : `${qualifier}all` };
  if (qualifier === "unknown") return { status: "not-tested", summary: "The redirect= target could not be resolved.", evidence };
  if (qualifier === "-" || qualifier === "~") return { status: "pass", summary: `Unlisted senders ${qualifier === "-" ? "fail" : "soft-fail"} SPF (${qualifier}all).`, evidence };
  if (qualifier === "+") return { status: "fail", summary: "+all authorizes every server on the Internet to send as this domain.", evidence };
  if (qualifier === "?") return { status: "warn", summary: "?all (neutral) says nothing about unlisted senders.", evidence };
  return { status: "warn", summary: "The record has no all mechanism and no redirect: unlisted senders get a neutral result.", evidence };
}

export function spfLookupsVerdict(mail: MailEvidence): Verdict {
  const record = singleSpf(mail);
  if (!record) return dependsOnRecord(mail);
  const count = countSpfLookups(record, mail.spfTargets);
  const evidence = { record, lookups: count.lookups, voidLookups: count.voidLookups, usesPtr: count.usesPtr, errors: count.errors, unresolved: count.unknownTargets };
  if (count.lookups > 10) return { status: "fail", summary: `${count.lookups} DNS lookups: over the limit of 10, so receivers return a permanent error.`, evidence };
  if (count.errors.length > 0) return { status: "fail", summary: `SPF has errors: ${count.errors.join("; ")}.`, evidence };
  if (count.voidLookups > 2) return { status: "fail", summary: `${count.voidLookups} void lookups (over the limit of 2).`, evidence };
  if (count.unknownTargets.length > 0) return { status: "not-tested", summary: `Could not resolve ${count.unknownTargets.join(", ")}, so the count is incomplete.`, evidence };
  if (count.lookups > 8) return { status: "warn", summary: `${count.lookups} DNS lookups: close to the limit of 10.`, evidence };
  if (count.usesPtr) return { status: "warn", summary: "The record uses ptr, which RFC 7208 says not to use (slow, unreliable).", evidence };
  return { status: "pass", summary: `${count.lookups} DNS lookups (limit 10).`, evidence };
}

export function singleSpf(mail: MailEvidence): string | null {
  const records = spfRecords(mail.apexTxt);
  return records.length === 1 ? records[0]! : null;
}

function dependsOnRecord(mail: MailEvidence): Verdict {
  if (!answered(mail.apexTxt)) return notTested(mail.apexTxt);
  return { status: "fail", summary: "There is no single valid SPF record to evaluate.", evidence: { records: spfRecords(mail.apexTxt) } };
}

export function notTested(answer: DnsAnswer<unknown>): Verdict {
  return { status: "not-tested", summary: `The DNS query for ${answer.name} ${answer.type} failed (${answer.error ?? "no answer"}).`, evidence: { query: `${answer.name} ${answer.type}`, error: answer.error ?? null } };
}
