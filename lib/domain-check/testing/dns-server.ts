import dgram from "node:dgram";
import net from "node:net";
import dnsPacket from "dns-packet";

/**
 * A local DNS server that plays a validating recursive resolver over fixture zones (UDP and TCP, one port).
 * Tests and the fixture script point the domain check's resolver at it. It answers NXDOMAIN vs NODATA like
 * a real server (empty non-terminals exist), sets AD for names in signed zones, answers SERVFAIL for bogus
 * zones unless CD is set, truncates large UDP answers (TC) so clients retry over TCP, and stays silent for
 * names meant to time out.
 */

export interface FixtureRecords {
  A?: string[];
  AAAA?: string[];
  MX?: { preference: number; exchange: string }[];
  TXT?: string[];
  NS?: string[];
  CAA?: { flags: number; tag: string; value: string }[];
  DS?: { keyTag: number; algorithm: number; digestType: number; digest: string }[];
  SOA?: boolean;
  CNAME?: string;
}

export interface FixtureZoneOptions {
  records: Record<string, FixtureRecords>;
  /** Zone apexes whose answers carry AD (validated). */
  signedZones?: string[];
  /** Zone apexes that fail validation: SERVFAIL unless the query sets CD. */
  bogusZones?: string[];
  /** Names (and everything below) that never get an answer. */
  silentNames?: string[];
}

export interface FixtureDnsServer {
  address: string;
  port: number;
  /** "127.0.0.1:PORT" for --dns-server. */
  server: string;
  queries: { name: string; type: string }[];
  close(): Promise<void>;
}

const UDP_LIMIT = 1232;

function under(name: string, zones: string[] = []): string | undefined {
  return zones.find((zone) => name === zone || name.endsWith(`.${zone}`));
}

function splitTxt(text: string): Buffer[] {
  const chunks: Buffer[] = [];
  const bytes = Buffer.from(text, "utf8");
  for (let i = 0; i < bytes.length; i += 255) chunks.push(bytes.subarray(i, i + 255));
  return chunks.length ? chunks : [Buffer.alloc(0)];
}

export function answerQuery(query: dnsPacket.DecodedPacket, zones: FixtureZoneOptions): dnsPacket.Packet | null {
  const question = query.questions?.[0];
  if (!question) return null;
  const name = question.name.toLowerCase().replace(/\.$/, "");
  if (under(name, zones.silentNames)) return null;
  const cd = query.flag_cd;
  const doBit = (query.additionals ?? []).some((a) => a.type === "OPT" && ((a as { flags?: number }).flags ?? 0) & dnsPacket.DNSSEC_OK);
  const signed = !!under(name, zones.signedZones);
  const bogus = !!under(name, zones.bogusZones);
  let flags = dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE;
  if (cd) flags |= dnsPacket.CHECKING_DISABLED;
  const base = { type: "response" as const, id: query.id, questions: query.questions };
  if (bogus && !cd) return { ...base, flags: flags | 2 /* SERVFAIL */ };
  if (signed && (doBit || query.flag_ad)) flags |= dnsPacket.AUTHENTIC_DATA;
  const answers: dnsPacket.Answer[] = [];
  let current = name;
  for (let hops = 0; hops < 8; hops++) {
    const records = zones.records[current];
    if (records?.CNAME && question.type !== "CNAME") {
      answers.push({ type: "CNAME", name: current, ttl: 60, data: records.CNAME });
      current = records.CNAME;
      continue;
    }
    break;
  }
  const records = zones.records[current];
  const exists = !!records || Object.keys(zones.records).some((n) => n.endsWith(`.${current}`));
  if (!exists && answers.length === 0) return { ...base, flags: flags | 3 /* NXDOMAIN */ };
  const t = question.type;
  const add = (data: unknown) => answers.push({ type: t, name: current, ttl: 60, data } as dnsPacket.Answer);
  if (records) {
    if (t === "A") records.A?.forEach(add);
    if (t === "AAAA") records.AAAA?.forEach(add);
    if (t === "MX") records.MX?.forEach(add);
    if (t === "NS") records.NS?.forEach(add);
    if (t === "TXT") records.TXT?.forEach((text) => add(splitTxt(text)));
    if (t === "CAA") records.CAA?.forEach((c) => add({ flags: c.flags, tag: c.tag, value: c.value }));
    if (t === "DS") records.DS?.forEach((d) => add({ keyTag: d.keyTag, algorithm: d.algorithm, digestType: d.digestType, digest: Buffer.from(d.digest, "hex") }));
    if (t === "SOA" && records.SOA) add({ mname: `ns1.${current}`, rname: `hostmaster.${current}`, serial: 2026112701, refresh: 3600, retry: 600, expire: 86400, minimum: 60 });
  }
  return { ...base, flags, answers };
}

export async function startFixtureDns(zones: FixtureZoneOptions, host = "127.0.0.1"): Promise<FixtureDnsServer> {
  const queries: { name: string; type: string }[] = [];
  const respond = (message: Buffer, tcp: boolean): Buffer | null => {
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return null;
    }
    const q = query.questions?.[0];
    if (q) queries.push({ name: q.name.toLowerCase(), type: q.type });
    const response = answerQuery(query, zones);
    if (!response) return null;
    let encoded = dnsPacket.encode(response);
    if (!tcp && encoded.length > UDP_LIMIT) {
      encoded = dnsPacket.encode({ ...response, flags: (response.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE, answers: [] });
    }
    return encoded;
  };
  const tcpServer = net.createServer((socket) => {
    let buffer = Buffer.alloc(0);
    socket.on("error", () => socket.destroy());
    socket.on("data", (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
        const length = buffer.readUInt16BE(0);
        const answer = respond(buffer.subarray(2, 2 + length), true);
        buffer = buffer.subarray(2 + length);
        if (answer) {
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(answer.length);
          socket.write(Buffer.concat([prefix, answer]));
        }
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcpServer.once("error", reject);
    tcpServer.listen(0, host, () => resolve());
  });
  const port = (tcpServer.address() as net.AddressInfo).port;
  const udp = dgram.createSocket("udp4");
  udp.on("message", (message, remote) => {
    const answer = respond(message, false);
    if (answer) udp.send(answer, remote.port, remote.address);
  });
  await new Promise<void>((resolve, reject) => {
    udp.once("error", reject);
    udp.bind(port, host, () => resolve());
  });
  return {
    address: host,
    port,
    server: `${host}:${port}`,
    queries,
    close: () =>
      new Promise<void>((resolve) => {
        udp.close();
        tcpServer.close(() => resolve());
      }),
  };
}
