import { getDomain } from "tldts";
import type { DnsResolver } from "../dns/dns-resolver";
import type { CaaRecord, DnsAnswer, DnsEvidence, MxRecord } from "../rules/evidence";

/** DNS evidence: addresses of the domain and www, MX, NS (and their addresses), CAA up the tree, DNSSEC state. */

const MAX_NAME_SERVERS = 8;

/** The domain and its parents down to the registrable domain (CAA climbs from the name towards the root). */
export function caaCandidates(domain: string): string[] {
  const registrable = getDomain(domain, { allowPrivateDomains: true }) ?? domain;
  const labels = domain.split(".");
  const names: string[] = [];
  for (let i = 0; i < labels.length; i++) {
    const name = labels.slice(i).join(".");
    names.push(name);
    if (name === registrable || labels.length - i <= 2) break;
  }
  return names;
}

export async function probeDns(domain: string, resolver: DnsResolver, signal: AbortSignal): Promise<DnsEvidence> {
  const q = <T>(name: string, type: Parameters<DnsResolver["query"]>[1], checkingDisabled = false) => resolver.query<T>(name, type, { signal, checkingDisabled });
  const www = `www.${domain}`;
  const caaNames = caaCandidates(domain);
  const [apexA, apexAAAA, wwwA, wwwAAAA, mx, ns, soa, ds, ...caa] = await Promise.all([
    q<string>(domain, "A"),
    q<string>(domain, "AAAA"),
    q<string>(www, "A"),
    q<string>(www, "AAAA"),
    q<MxRecord>(domain, "MX"),
    q<string>(domain, "NS"),
    q<string>(domain, "SOA"),
    q<string>(domain, "DS"),
    ...caaNames.map((name) => q<CaaRecord>(name, "CAA")),
  ]);
  const nameServers = ns.records.slice(0, MAX_NAME_SERVERS);
  const [soaCheckingDisabled, nsAddressPairs] = await Promise.all([
    soa.outcome === "error" && soa.error === "SERVFAIL" ? q<string>(domain, "SOA", true) : Promise.resolve(null),
    Promise.all(
      nameServers.map(async (server) => {
        const [a, aaaa] = await Promise.all([q<string>(server, "A"), q<string>(server, "AAAA")]);
        return [server, [...a.records, ...aaaa.records]] as [string, string[]];
      }),
    ),
  ]);
  return {
    apexA,
    apexAAAA,
    wwwA,
    wwwAAAA,
    mx,
    ns,
    nsAddresses: Object.fromEntries(nsAddressPairs),
    caa: caa as DnsAnswer<CaaRecord>[],
    dnssec: { soa, ds, soaCheckingDisabled },
  };
}
