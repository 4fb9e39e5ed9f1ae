import { answered, recordsOf } from "./dns-answers";
import type { DomainEvidence } from "./evidence";
import type { Verdict } from "./types";

/** www and apex consistency: both names people type should lead to the same valid HTTPS site. */
export function wwwConsistencyVerdict(evidence: DomainEvidence): Verdict {
  const { dns } = evidence;
  const www = `www.${evidence.domain}`;
  if (!answered(dns.wwwA) || !answered(dns.wwwAAAA) || !answered(dns.apexA) || !answered(dns.apexAAAA))
    return { status: "not-tested", summary: "The address lookups for the domain or www failed.", evidence: {} };
  const wwwAddresses = [...recordsOf(dns.wwwA), ...recordsOf(dns.wwwAAAA)];
  const apexAddresses = [...recordsOf(dns.apexA), ...recordsOf(dns.apexAAAA)];
  if (wwwAddresses.length === 0 && apexAddresses.length === 0) return { status: "not-applicable", summary: "Neither the domain nor www has an address.", evidence: {} };
  if (wwwAddresses.length === 0) return { status: "pass", summary: `${www} does not exist, so there is nothing to keep consistent.`, evidence: {} };
  if (apexAddresses.length === 0) return { status: "warn", summary: `${www} has an address but ${evidence.domain} does not: people who type the bare domain reach nothing.`, evidence: { wwwAddresses } };
  const chain = evidence.other.www?.httpsChain ?? null;
  const first = chain?.exchanges[0];
  if (!chain || !first) return { status: "not-tested", summary: `${www} was not probed.`, evidence: {} };
  const ev: Record<string, unknown> = { url: chain.start, hops: chain.exchanges.map((e) => `${e.status ?? e.outcome} ${e.url}`) };
  if (first.outcome === "timeout") return { status: "not-tested", summary: `https://${www}/ timed out.`, evidence: ev };
  if (first.outcome === "blocked") return { status: "not-tested", summary: `${www} resolves to an address we do not connect to.`, evidence: ev };
  if (first.outcome !== "response") {
    const httpWorks = evidence.other.www?.httpChain?.exchanges[0]?.outcome === "response";
    return { status: "warn", summary: httpWorks ? `${www} answers only over plain HTTP.` : `https://${www}/ fails (${first.error ?? first.outcome}).`, evidence: ev };
  }
  if (first.tlsVerified !== true) return { status: "warn", summary: `${www} has an invalid certificate (${first.tlsError ?? "unverified"}).`, evidence: ev };
  const location = first.headers?.location;
  return { status: "pass", summary: location ? `${www} serves valid HTTPS and redirects to ${location}.` : `${www} serves valid HTTPS.`, evidence: ev };
}
