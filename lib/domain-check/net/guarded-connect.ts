import net from "node:net";
import tls from "node:tls";
import type { DnsResolver } from "../dns/dns-resolver";
import type { TargetPolicy } from "../policy";
import { parseTargetName } from "../target-name";
import { BlockedTargetError, addressAllowed } from "./address-policy";
import { timeoutSignal } from "./timeout-signal";

/**
 * The only way the domain check opens a socket. A host name is resolved with our resolver, every address is
 * checked against the policy, and the socket is dialled to the checked IP itself (never to the name), so a
 * DNS answer that changes between check and use (rebinding) cannot redirect the connection.
 */

export interface ConnectContext {
  resolver: DnsResolver;
  policy: TargetPolicy;
  signal: AbortSignal;
  /** Observes every dial (tests and evidence). */
  onDial?: (target: { host: string; address: string; port: number }) => void;
}

export interface ResolvedTarget {
  host: string;
  addresses: string[];
}

/** Resolves a host for connecting; throws BlockedTargetError when the name or any address is not allowed. */
export async function resolveForConnect(host: string, ctx: ConnectContext): Promise<ResolvedTarget> {
  const bare = host.replace(/^\[|\]$/g, "");
  if (net.isIP(bare)) {
    // Redirect hops can carry IP literals; the public policy never dials one.
    if (ctx.policy.kind === "public" || !addressAllowed(bare, ctx.policy)) throw new BlockedTargetError(`IP literal ${bare} is not an allowed target`);
    return { host: bare, addresses: [bare] };
  }
  const name = parseTargetName(host, ctx.policy);
  if (!name.ok) throw new BlockedTargetError(`${host}: ${name.message}`);
  const [a, aaaa] = await Promise.all([ctx.resolver.query<string>(name.domain, "A", { signal: ctx.signal }), ctx.resolver.query<string>(name.domain, "AAAA", { signal: ctx.signal })]);
  if (a.outcome === "error" && aaaa.outcome === "error") throw new Error(`DNS lookup for ${name.domain} failed (${a.error})`);
  const addresses = [...a.records, ...aaaa.records];
  if (addresses.length === 0) throw Object.assign(new Error(`${name.domain} has no address`), { code: "ENOTFOUND" });
  const blocked = addresses.filter((address) => !addressAllowed(address, ctx.policy));
  if (blocked.length > 0) throw new BlockedTargetError(`${name.domain} resolves to a non-public address (${blocked.join(", ")})`);
  return { host: name.domain, addresses };
}

function checkedAddress(target: ResolvedTarget, ctx: ConnectContext, address?: string): string {
  const chosen = address ?? target.addresses[0];
  if (!chosen || !target.addresses.includes(chosen) || !addressAllowed(chosen, ctx.policy)) throw new BlockedTargetError(`Address ${chosen} is not allowed`);
  return chosen;
}

function withTimeout<T extends net.Socket>(socket: T, ctx: ConnectContext, timeoutMs: number, readyEvent: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const signal = timeoutSignal(timeoutMs, ctx.signal);
    const onAbort = () => {
      socket.destroy();
      reject(Object.assign(new Error("connection timed out"), { code: "ETIMEDOUT" }));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    socket.once(readyEvent, () => {
      signal.removeEventListener("abort", onAbort);
      resolve(socket);
    });
    socket.once("error", (error) => {
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
      reject(error);
    });
  });
}

/** Plain TCP to port `port` of a checked address. */
export function dialTcp(target: ResolvedTarget, port: number, ctx: ConnectContext, timeoutMs: number, address?: string): Promise<net.Socket> {
  const ip = checkedAddress(target, ctx, address);
  ctx.onDial?.({ host: target.host, address: ip, port });
  return withTimeout(net.connect({ host: ip, port }), ctx, timeoutMs, "connect");
}

export type TlsDialOptions = Omit<tls.ConnectionOptions, "host" | "port" | "socket" | "servername" | "lookup" | "path">;

/**
 * TLS to a checked address with SNI set to the host name. Certificate problems do not abort the handshake
 * (rejectUnauthorized: false): they are recorded, because reporting them is the point of the check.
 */
export function dialTls(
  target: ResolvedTarget,
  port: number,
  ctx: ConnectContext,
  timeoutMs: number,
  options: TlsDialOptions,
  address?: string,
  prepare?: (socket: tls.TLSSocket) => void,
): Promise<tls.TLSSocket> {
  const ip = checkedAddress(target, ctx, address);
  ctx.onDial?.({ host: target.host, address: ip, port });
  const socket = tls.connect({
    ...options,
    host: ip,
    port,
    servername: net.isIP(target.host) ? undefined : target.host,
    rejectUnauthorized: false,
    // Chain trust and name match are recorded separately (socket.authorized vs hostnameMatches()).
    checkServerIdentity: () => undefined,
  });
  prepare?.(socket);
  return withTimeout(socket, ctx, timeoutMs, "secureConnect");
}

export function hostnameMatches(host: string, socket: tls.TLSSocket): boolean {
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0) return false;
  return tls.checkServerIdentity(host, cert) === undefined;
}
