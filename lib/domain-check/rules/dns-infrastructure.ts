import { answered, recordsOf } from "./dns-answers";
import type { CaaRecord, DnsEvidence } from "./evidence";
import type { Verdict } from "./types";

/** DNSSEC (RFC 4033-4035), CAA (RFC 8659) and name-server redundancy (RFC 2182). */

export function dnssecVerdict(dns: DnsEvidence): Verdict {
  const { soa, ds, soaCheckingDisabled } = dns.dnssec;
  const evidence: Record<string, unknown> = { authenticated: soa.authenticated, ds: ds.outcome === "records" ? ds.records : ds.outcome };
  if (!answered(soa)) {
    if (soa.error === "SERVFAIL" && soaCheckingDisabled && answered(soaCheckingDisabled))
      return { status: "fail", summary: "DNSSEC validation fails (bogus): validating resolvers return SERVFAIL, so the domain is unreachable for their users.", evidence };
    return { status: "not-tested", summary: `The DNS query for ${soa.name} SOA failed (${soa.error ?? "no answer"}).`, evidence };
  }
  if (soa.authenticated) return { status: "pass", summary: "Answers are signed and validate (AD flag set by the validating resolver).", evidence };
  if (!answered(ds)) return { status: "not-tested", summary: `The DS query failed (${ds.error ?? "no answer"}).`, evidence };
  if (ds.outcome === "records")
    return { status: "not-tested", summary: "A DS record exists but the resolver did not mark answers as validated: it is not a validating resolver.", evidence };
  return { status: "warn", summary: "The domain is not signed with DNSSEC (no DS record at the parent).", evidence };
}

const CAA_TAG = /^[a-z0-9]+$/i;
const ISSUER_VALUE = /^\s*([a-z0-9-]+(\.[a-z0-9-]+)*)?\s*(;\s*[a-z0-9]+\s*=\s*[\x21-\x3a\x3c-\x7e]*\s*)*$/i;

export function caaProblems(records: CaaRecord[]): string[] {
  const problems: string[] = [];
  for (const record of records) {
    if (!CAA_TAG.test(record.tag)) problems.push(`tag "${record.tag}" is not alphanumeric`);
    const tag = record.tag.toLowerCase();
    if ((tag === "issue" || tag === "issuewild") && !ISSUER_VALUE.test(record.value)) problems.push(`${tag} value "${record.value}" is malformed`);
    if (tag === "iodef" && !/^(mailto:|https?:)/i.test(record.value)) problems.push(`iodef "${record.value}" is not mailto: or http(s):`);
    if (!["issue", "issuewild", "iodef", "issuemail", "issuevmc", "contactemail", "contactphone"].includes(tag) && (record.flags & 128) !== 0)
      problems.push(`unknown critical tag "${record.tag}" blocks all issuance`);
  }
  return problems;
}

export function caaVerdict(dns: DnsEvidence): Verdict {
  for (const answer of dns.caa) {
    if (!answered(answer)) return { status: "not-tested", summary: `The CAA query for ${answer.name} failed.`, evidence: {} };
    const records = recordsOf(answer);
    if (records.length === 0) continue;
    const evidence = { foundAt: answer.name, records: records.map((r) => `${r.flags} ${r.tag} "${r.value}"`) };
    const problems = caaProblems(records);
    if (problems.length > 0) return { status: "warn", summary: `CAA records have problems: ${problems.join("; ")}.`, evidence: { ...evidence, problems } };
    if (!records.some((r) => r.tag.toLowerCase() === "issue")) return { status: "warn", summary: "CAA records exist but none has an issue tag.", evidence };
    return { status: "pass", summary: `CAA at ${answer.name} limits issuance to ${records.filter((r) => r.tag.toLowerCase() === "issue").map((r) => r.value || ";").join(", ")}.`, evidence };
  }
  return { status: "warn", summary: "No CAA record: any certificate authority may issue certificates for the domain.", evidence: { checked: dns.caa.map((a) => a.name) } };
}

function ipv4Prefix24(address: string): string | null {
  const parts = address.split(".");
  return parts.length === 4 ? parts.slice(0, 3).join(".") : null;
}

function ipv6Prefix48(address: string): string | null {
  if (!address.includes(":")) return null;
  const [head, tail] = address.split("::");
  const headParts = head ? head.split(":") : [];
  const tailParts = tail ? tail.split(":") : [];
  const groups = tail === undefined ? headParts : [...headParts, ...Array(8 - headParts.length - tailParts.length).fill("0"), ...tailParts];
  return groups.slice(0, 3).map((g) => g.toLowerCase().replace(/^0+(?=.)/, "")).join(":");
}

export function nsRedundancyVerdict(dns: DnsEvidence): Verdict {
  if (!answered(dns.ns)) return { status: "not-tested", summary: `The NS query failed (${dns.ns.error ?? "no answer"}).`, evidence: {} };
  const servers = recordsOf(dns.ns);
  const evidence: Record<string, unknown> = { nameServers: servers, addresses: dns.nsAddresses };
  if (servers.length === 0) return { status: "warn", summary: "No NS records were returned for the domain itself.", evidence };
  if (servers.length === 1) return { status: "warn", summary: `Only one name server (${servers[0]}): it is a single point of failure.`, evidence };
  const addresses = servers.flatMap((s) => dns.nsAddresses[s] ?? []);
  const v4 = new Set(addresses.map(ipv4Prefix24).filter((p): p is string => p !== null));
  const v6 = new Set(addresses.map(ipv6Prefix48).filter((p): p is string => p !== null));
  // Dual-stack servers count once: the larger spread of the two families decides.
  const networks = Math.max(v4.size, v6.size);
  if (addresses.length > 0 && networks === 1)
    return { status: "warn", summary: `${servers.length} name servers, but all in one network (${[...v4, ...v6][0]}).`, evidence };
  return { status: "pass", summary: `${servers.length} name servers${networks > 1 ? ` in ${networks} networks` : ""}.`, evidence };
}
