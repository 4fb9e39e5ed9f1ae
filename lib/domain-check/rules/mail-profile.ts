import { getDomain } from "tldts";
import { answered, normalizeHost, recordsOf } from "./dns-answers";
import type { DnsEvidence, MailEvidence } from "./evidence";
import { effectiveDmarc } from "./dmarc";
import { singleSpf, parseSpf } from "./spf";

/**
 * Whether the domain receives and sends mail, which decides which mail checks apply.
 * Non-sending (RFC 7505 null MX, or no MX with `v=spf1 -all` and DMARC p=reject): DKIM, MTA-STS, TLS-RPT and BIMI do not apply.
 */
export interface MailProfile {
  /** MX answered with at least one real host. */
  receivesMail: boolean;
  nullMx: boolean;
  nonSending: boolean;
  mxHosts: string[];
  /** The MX lookup failed: applicability is unknown. */
  unknown: boolean;
}

export function mailProfile(dns: DnsEvidence, mail: MailEvidence): MailProfile {
  if (!answered(dns.mx)) return { receivesMail: false, nullMx: false, nonSending: false, mxHosts: [], unknown: true };
  const mx = recordsOf(dns.mx);
  const nullMx = mx.length === 1 && normalizeHost(mx[0]!.exchange) === "";
  const mxHosts = mx.map((r) => normalizeHost(r.exchange)).filter((h) => h !== "");
  const spf = singleSpf(mail);
  const spfRejectsAll = spf !== null && (() => {
    const parsed = parseSpf(spf);
    return parsed.mechanisms.length === 1 && parsed.mechanisms[0]!.name === "all" && parsed.mechanisms[0]!.qualifier === "-" && !parsed.modifiers.has("redirect");
  })();
  const dmarc = effectiveDmarc(mail);
  const nonSending = nullMx || (mxHosts.length === 0 && spfRejectsAll && dmarc?.appliedPolicy === "reject");
  return { receivesMail: mxHosts.length > 0, nullMx, nonSending, mxHosts, unknown: false };
}

export function organizationalDomain(domain: string): string {
  return getDomain(domain, { allowPrivateDomains: false }) ?? domain;
}
