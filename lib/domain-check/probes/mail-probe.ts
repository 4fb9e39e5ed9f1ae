import { randomBytes } from "node:crypto";
import { getDomain } from "tldts";
import type { DnsResolver } from "../dns/dns-resolver";
import { type ChainOptions, httpRequest } from "../net/http-client";
import { timeoutSignal } from "../net/timeout-signal";
import { dmarcRecords, externalReportDomains, parseDmarc } from "../rules/dmarc";
import { normalizeHost, recordsOf, versionedTxt } from "../rules/dns-answers";
import type { DnsAnswer, MailEvidence, MxRecord } from "../rules/evidence";
import { parseSpf, spfRecords } from "../rules/spf";

/** Mail evidence: SPF (with its include tree), DMARC, DKIM selectors, MTA-STS (record and policy), TLS-RPT, BIMI. */

const MAX_SPF_FETCHES = 25;
const SPF_BUDGET_MS = 8000;
const MAX_SELECTORS = 20;

const GENERIC_SELECTORS = ["default", "dkim", "mail", "selector1", "selector2", "google", "k1", "k2", "s1", "s2", "key1"];
const PROVIDER_SELECTORS: [RegExp, string[]][] = [
  [/google|googlemail/, ["google"]],
  [/outlook\.com|protection\.outlook|microsoft/, ["selector1", "selector2"]],
  [/protonmail|proton\.ch/, ["protonmail", "protonmail2", "protonmail3"]],
  [/messagingengine|fastmail/, ["fm1", "fm2", "fm3"]],
  [/mailchimp|mandrill|mcsv\.net/, ["k1", "k2", "k3", "mandrill"]],
  [/sendgrid/, ["s1", "s2", "smtpapi"]],
  [/hubspot/, ["hs1", "hs2"]],
  [/zoho/, ["zoho", "zmail"]],
  [/mailgun/, ["mx", "pic", "smtp"]],
];

/** Bounded selector guesses, derived from the MX hosts and SPF includes (selectors cannot be listed). */
export function dkimSelectors(mxHosts: string[], spfIncludes: string[]): string[] {
  const hints = [...mxHosts, ...spfIncludes].join(" ").toLowerCase();
  const derived = PROVIDER_SELECTORS.filter(([pattern]) => pattern.test(hints)).flatMap(([, selectors]) => selectors);
  return [...new Set([...derived, ...GENERIC_SELECTORS])].slice(0, MAX_SELECTORS);
}

function spfTargetsOf(record: string): string[] {
  const parsed = parseSpf(record);
  const targets = parsed.mechanisms.filter((m) => m.name === "include" && m.value && !m.value.includes("%")).map((m) => normalizeHost(m.value!));
  const redirect = parsed.modifiers.get("redirect");
  if (redirect && !redirect.includes("%")) targets.push(normalizeHost(redirect));
  return targets;
}

export interface MailProbeOptions {
  resolver: DnsResolver;
  signal: AbortSignal;
  mx: Promise<DnsAnswer<MxRecord>>;
  /** For the MTA-STS policy fetch (HTTPS, guarded, no redirects). */
  http: Omit<ChainOptions, "maxBodyBytes" | "timeoutMs">;
  httpTimeoutMs: number;
}

export async function probeMail(domain: string, options: MailProbeOptions): Promise<MailEvidence> {
  const { resolver, signal } = options;
  const q = <T>(name: string, type: Parameters<DnsResolver["query"]>[1], s: AbortSignal = signal) => resolver.query<T>(name, type, { signal: s });
  const wildcardLabel = `rampartsprobe-${randomBytes(6).toString("hex")}`;
  const [apexTxt, dmarc, domainKey, wildcard, mtaStsRecord, tlsRpt, bimi, mx] = await Promise.all([
    q<string>(domain, "TXT"),
    q<string>(`_dmarc.${domain}`, "TXT"),
    q<string>(`_domainkey.${domain}`, "TXT"),
    q<string>(`${wildcardLabel}._domainkey.${domain}`, "TXT"),
    q<string>(`_mta-sts.${domain}`, "TXT"),
    q<string>(`_smtp._tls.${domain}`, "TXT"),
    q<string>(`default._bimi.${domain}`, "TXT"),
    options.mx,
  ]);

  // SPF include tree, breadth first, within a lookup and time budget.
  const spfTargets: Record<string, DnsAnswer<string>> = {};
  const spfSignal = timeoutSignal(SPF_BUDGET_MS, signal);
  const ownSpf = spfRecords(apexTxt);
  let frontier = ownSpf.length === 1 ? spfTargetsOf(ownSpf[0]!) : [];
  while (frontier.length > 0 && Object.keys(spfTargets).length < MAX_SPF_FETCHES && !spfSignal.aborted) {
    const batch = [...new Set(frontier)].filter((t) => !(t in spfTargets)).slice(0, MAX_SPF_FETCHES - Object.keys(spfTargets).length);
    const answers = await Promise.all(batch.map((t) => q<string>(t, "TXT", spfSignal)));
    frontier = [];
    batch.forEach((target, i) => {
      spfTargets[target] = answers[i]!;
      const records = spfRecords(answers[i]);
      if (records.length === 1) frontier.push(...spfTargetsOf(records[0]!));
    });
  }

  const mxHosts = recordsOf(mx).map((r) => normalizeHost(r.exchange)).filter(Boolean);
  const selectors = dkimSelectors(mxHosts, Object.keys(spfTargets));
  const organizational = getDomain(domain) ?? domain;
  const needsOrgFallback = dmarc.outcome !== "error" && dmarcRecords(dmarc).length === 0 && organizational !== domain;
  const hasStsRecord = versionedTxt(mtaStsRecord, "STSv1").length === 1 && mxHosts.length > 0;

  const [selectorAnswers, orgDmarc, policy] = await Promise.all([
    Promise.all(selectors.map((s) => q<string>(`${s}._domainkey.${domain}`, "TXT"))),
    needsOrgFallback ? q<string>(`_dmarc.${organizational}`, "TXT") : Promise.resolve(null),
    hasStsRecord
      ? httpRequest(`https://mta-sts.${domain}/.well-known/mta-sts.txt`, { ...options.http, timeoutMs: options.httpTimeoutMs, maxBodyBytes: 64 * 1024, keepBody: true })
      : Promise.resolve(null),
  ]);

  // External DMARC report destinations must authorize the domain.
  const effective = dmarcRecords(dmarc).length === 1 ? parseDmarc(dmarcRecords(dmarc)[0]!, domain, false) : orgDmarc && dmarcRecords(orgDmarc).length === 1 ? parseDmarc(dmarcRecords(orgDmarc)[0]!, organizational, true) : null;
  const external = effective ? externalReportDomains(effective).slice(0, 5) : [];
  const authAnswers = await Promise.all(external.map((host) => q<string>(`${effective!.foundAt}._report._dmarc.${host}`, "TXT")));

  return {
    apexTxt,
    spfTargets,
    dmarc,
    dmarcOrganizational: orgDmarc ? { domain: organizational, answer: orgDmarc } : null,
    dmarcReportAuthorizations: Object.fromEntries(external.map((host, i) => [host, authAnswers[i]!])),
    dkim: { domainKey, wildcard, selectors: Object.fromEntries(selectors.map((s, i) => [s, selectorAnswers[i]!])) },
    mtaSts: { record: mtaStsRecord, policy },
    tlsRpt,
    bimi,
  };
}
