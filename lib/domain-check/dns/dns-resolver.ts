import { randomInt } from "node:crypto";
import dgram from "node:dgram";
import net from "node:net";
import dnsPacket from "dns-packet";
import type { CaaRecord, DnsAnswer, MxRecord } from "../rules/evidence";

/**
 * Our own stub resolver over dns-packet: UDP with EDNS0 and the DO bit, TCP when the answer is truncated.
 * Node's dns.Resolver cannot set DO/CD or read the AD flag, which DNSSEC needs, so every lookup of the
 * domain check goes through this client, pointed at a trusted validating recursive resolver.
 */

export type QueryType = "A" | "AAAA" | "MX" | "TXT" | "NS" | "CAA" | "DS" | "SOA";

export interface DnsResolver {
  query<T = unknown>(name: string, type: QueryType, options?: { checkingDisabled?: boolean; signal?: AbortSignal }): Promise<DnsAnswer<T>>;
  /** A and AAAA together, for dialling. */
  readonly servers: readonly string[];
}

export interface DnsResolverOptions {
  /** "host:port", "host" (port 53) or "[v6]:port". */
  servers: string[];
  timeoutMs?: number;
  tries?: number;
}

export function parseServer(server: string): { host: string; port: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(server);
  if (v6) return { host: v6[1]!, port: v6[2] ? Number(v6[2]) : 53 };
  if (net.isIPv6(server)) return { host: server, port: 53 };
  const m = /^([^:]+)(?::(\d+))?$/.exec(server);
  if (!m || !net.isIP(m[1]!)) throw new Error(`DNS server "${server}" must be an IP address with an optional port (e.g. 127.0.0.1:5353)`);
  const port = m[2] ? Number(m[2]) : 53;
  if (port < 1 || port > 65535) throw new Error(`DNS server "${server}" has an invalid port`);
  return { host: m[1]!, port };
}

class DnsTimeout extends Error {}

function buildQuery(name: string, type: QueryType, checkingDisabled: boolean): { id: number; packet: dnsPacket.Packet } {
  const id = randomInt(0, 65536);
  return {
    id,
    packet: {
      type: "query",
      id,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.AUTHENTIC_DATA | (checkingDisabled ? dnsPacket.CHECKING_DISABLED : 0),
      questions: [{ type, name }],
      additionals: [{ type: "OPT", name: ".", udpPayloadSize: 1232, flags: dnsPacket.DNSSEC_OK } as unknown as dnsPacket.Answer],
    },
  };
}

function queryUdp(server: { host: string; port: number }, payload: Buffer, id: number, timeoutMs: number, signal?: AbortSignal): Promise<dnsPacket.DecodedPacket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket(net.isIPv6(server.host) ? "udp6" : "udp4");
    const finish = (error: Error | null, packet?: dnsPacket.DecodedPacket) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.close();
      if (error) reject(error);
      else resolve(packet!);
    };
    const onAbort = () => finish(new DnsTimeout("aborted"));
    const timer = setTimeout(() => finish(new DnsTimeout("timeout")), timeoutMs);
    signal?.addEventListener("abort", onAbort, { once: true });
    socket.on("error", (e) => finish(e));
    socket.on("message", (message) => {
      try {
        const packet = dnsPacket.decode(message);
        if (packet.id === id) finish(null, packet);
      } catch {
        // Ignore garbage; wait for the real answer or the timeout.
      }
    });
    socket.send(payload, server.port, server.host);
  });
}

function queryTcp(server: { host: string; port: number }, packet: dnsPacket.Packet, timeoutMs: number, signal?: AbortSignal): Promise<dnsPacket.DecodedPacket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: server.host, port: server.port });
    let buffer = Buffer.alloc(0);
    const finish = (error: Error | null, result?: dnsPacket.DecodedPacket) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.destroy();
      if (error) reject(error);
      else resolve(result!);
    };
    const onAbort = () => finish(new DnsTimeout("aborted"));
    const timer = setTimeout(() => finish(new DnsTimeout("timeout")), timeoutMs);
    signal?.addEventListener("abort", onAbort, { once: true });
    socket.on("error", (e) => finish(e));
    socket.on("connect", () => socket.write(dnsPacket.streamEncode(packet)));
    socket.on("data", (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length > 70_000) return finish(new Error("DNS over TCP answer too large"));
      if (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
        try {
          finish(null, dnsPacket.decode(buffer.subarray(2, 2 + buffer.readUInt16BE(0))));
        } catch (e) {
          finish(e as Error);
        }
      }
    });
    socket.on("end", () => finish(new Error("DNS over TCP connection closed early")));
  });
}

function txtData(data: unknown): string {
  if (Array.isArray(data)) return data.map((d) => (Buffer.isBuffer(d) ? d.toString("utf8") : String(d))).join("");
  return Buffer.isBuffer(data) ? data.toString("utf8") : String(data);
}

function recordOf(type: QueryType, answer: dnsPacket.Answer): unknown {
  const data = (answer as { data: unknown }).data;
  switch (type) {
    case "TXT":
      return txtData(data);
    case "MX": {
      const mx = data as { preference: number; exchange: string };
      return { preference: mx.preference, exchange: mx.exchange } satisfies MxRecord;
    }
    case "CAA": {
      const caa = data as { flags?: number; tag: string; value: string; issuerCritical?: boolean };
      return { flags: caa.flags ?? (caa.issuerCritical ? 128 : 0), tag: caa.tag, value: caa.value } satisfies CaaRecord;
    }
    case "DS": {
      const ds = data as { keyTag: number; algorithm: number; digestType: number };
      return `${ds.keyTag} ${ds.algorithm} ${ds.digestType}`;
    }
    case "SOA": {
      const soa = data as { mname: string; serial: number };
      return `${soa.mname} ${soa.serial}`;
    }
    default:
      return String(data).toLowerCase();
  }
}

export function createDnsResolver(options: DnsResolverOptions): DnsResolver {
  if (options.servers.length === 0) throw new Error("At least one DNS server is required");
  const servers = options.servers.map(parseServer);
  const timeoutMs = options.timeoutMs ?? 2000;
  const tries = options.tries ?? 2;
  return {
    servers: options.servers,
    async query<T>(name: string, type: QueryType, queryOptions: { checkingDisabled?: boolean; signal?: AbortSignal } = {}): Promise<DnsAnswer<T>> {
      const fqdn = name.replace(/\.$/, "");
      const base = { name: fqdn, type };
      let lastError = "no answer";
      for (let attempt = 0; attempt < tries * servers.length; attempt++) {
        if (queryOptions.signal?.aborted) break;
        const server = servers[attempt % servers.length]!;
        const { id, packet } = buildQuery(fqdn, type, queryOptions.checkingDisabled ?? false);
        try {
          let response = await queryUdp(server, dnsPacket.encode(packet), id, timeoutMs, queryOptions.signal);
          if (response.flag_tc) response = await queryTcp(server, packet, timeoutMs, queryOptions.signal);
          const rcode = (response as unknown as { rcode: string }).rcode;
          const authenticated = response.flag_ad;
          if (rcode === "NXDOMAIN") return { ...base, outcome: "nxdomain", records: [], authenticated };
          if (rcode !== "NOERROR") return { ...base, outcome: "error", records: [], authenticated: false, error: rcode };
          const records = (response.answers ?? []).filter((a) => a.type === type).map((a) => recordOf(type, a) as T);
          return { ...base, outcome: records.length > 0 ? "records" : "nodata", records, authenticated };
        } catch (error) {
          lastError = error instanceof DnsTimeout ? "timeout" : (error as Error).message;
        }
      }
      return { ...base, outcome: "error", records: [], authenticated: false, error: lastError };
    },
  };
}
