import net from "node:net";
import type tls from "node:tls";
import { BlockedTargetError } from "../net/address-policy";
import { type ConnectContext, type ResolvedTarget, type TlsDialOptions, dialTcp, dialTls, hostnameMatches, resolveForConnect } from "../net/guarded-connect";
import type { ProbeOutcome, TlsAddressEvidence, TlsEvidence, TlsHandshakeEvidence, TlsVersionName, WeakSuiteFamily } from "../rules/evidence";
import { peerChain } from "./certificate-info";
import { SSLV3_SUITES, WEAK_SUITES, buildClientHello, probeWithClientHello } from "./raw-client-hello";

/** TLS evidence for one host: a full handshake, one handshake per protocol version, suite probes, raw weak-suite probes. */

export interface TlsProbeOptions {
  ctx: ConnectContext;
  /** PEM roots used to judge trust. */
  trustAnchors: string[];
  /** PEM intermediates used only to tell an incomplete chain from an untrusted one. */
  intermediates: string[];
  timeoutMs: number;
}

const VERSIONS: TlsVersionName[] = ["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];
const STATIC_RSA = "AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:AES128-SHA:AES256-SHA";
const CBC = "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:DHE-RSA-AES128-SHA:DHE-RSA-AES256-SHA";
const INCOMPLETE_CHAIN = new Set(["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "UNABLE_TO_GET_ISSUER_CERT"]);

function classify(error: unknown): "refused" | "timeout" | "blocked" | "error" {
  if (error instanceof BlockedTargetError) return "blocked";
  const code = (error as { code?: string }).code;
  if (code === "ECONNREFUSED") return "refused";
  if (code === "ETIMEDOUT") return "timeout";
  return "error";
}

/** Whether a handshake limited to some offer succeeded. Any TLS-level refusal counts as "rejected"; no answer as "error". */
async function offerAccepted(target: ResolvedTarget, address: string, options: TlsProbeOptions, tlsOptions: tls.ConnectionOptions): Promise<ProbeOutcome> {
  try {
    const socket = await dialTls(target, options.ctx.policy.ports.https, options.ctx, options.timeoutMs, { ...tlsOptions, ca: options.trustAnchors }, address);
    socket.destroy();
    return "accepted";
  } catch (error) {
    const kind = classify(error);
    return kind === "error" ? "rejected" : "error";
  }
}

async function rawProbe(target: ResolvedTarget, address: string, options: TlsProbeOptions, version: number, suites: number[], requireVersion?: number): Promise<ProbeOutcome> {
  try {
    const socket = await dialTcp(target, options.ctx.policy.ports.https, options.ctx, options.timeoutMs, address);
    return await probeWithClientHello(socket, buildClientHello(version, suites, net.isIP(target.host) ? null : target.host), suites, options.timeoutMs, requireVersion);
  } catch {
    return "error";
  }
}

async function handshake(target: ResolvedTarget, address: string, options: TlsProbeOptions): Promise<TlsHandshakeEvidence> {
  const empty: TlsHandshakeEvidence = { outcome: "error", authorized: false, authorizationError: null, authorizedWithIntermediates: null, hostnameMatches: false, chain: [], ocspStapled: false };
  let stapled = false;
  let socket: tls.TLSSocket;
  try {
    socket = await dialTls(target, options.ctx.policy.ports.https, options.ctx, options.timeoutMs, { ca: options.trustAnchors, requestOCSP: true } as TlsDialOptions, address, (s) =>
      s.on("OCSPResponse", (response: Buffer | null) => {
        stapled = !!response && response.length > 0;
      }),
    );
  } catch (error) {
    return { ...empty, outcome: classify(error), error: (error as Error).message.slice(0, 300) };
  }
  try {
    const cipher = socket.getCipher();
    const ephemeral = socket.getEphemeralKeyInfo();
    const evidence: TlsHandshakeEvidence = {
      outcome: "ok",
      protocol: socket.getProtocol() ?? undefined,
      cipher: { name: cipher.name, standardName: cipher.standardName, version: cipher.version },
      ephemeralKey: ephemeral && "type" in ephemeral ? { type: String(ephemeral.type), name: ephemeral.name, size: ephemeral.size } : undefined,
      authorized: socket.authorized,
      authorizationError: socket.authorized ? null : String(socket.authorizationError ?? "unknown"),
      authorizedWithIntermediates: null,
      hostnameMatches: hostnameMatches(target.host, socket),
      chain: peerChain(socket.getPeerCertificate(true)),
      ocspStapled: stapled,
    };
    if (!evidence.authorized && INCOMPLETE_CHAIN.has(evidence.authorizationError ?? "") && options.intermediates.length > 0) {
      try {
        const retry = await dialTls(target, options.ctx.policy.ports.https, options.ctx, options.timeoutMs, { ca: [...options.trustAnchors, ...options.intermediates] }, address);
        evidence.authorizedWithIntermediates = retry.authorized;
        retry.destroy();
      } catch {
        evidence.authorizedWithIntermediates = null;
      }
    }
    return evidence;
  } finally {
    socket.destroy();
  }
}

async function probeAddress(target: ResolvedTarget, address: string, options: TlsProbeOptions): Promise<TlsAddressEvidence> {
  const main = await handshake(target, address, options);
  const skipped = (): ProbeOutcome => "error";
  if (main.outcome !== "ok") {
    return {
      address,
      handshake: main,
      versions: { TLSv1: skipped(), "TLSv1.1": skipped(), "TLSv1.2": skipped(), "TLSv1.3": skipped() },
      staticRsaAccepted: "error",
      cbcAccepted: "error",
      weakSuites: { rc4: "error", "3des": "error", export: "error", null: "error", anon: "error" },
      sslv3: "error",
    };
  }
  const families = Object.keys(WEAK_SUITES) as WeakSuiteFamily[];
  const [versions, staticRsa, cbc, weak, sslv3] = await Promise.all([
    Promise.all(
      VERSIONS.map((version) =>
        // OpenSSL 3 refuses TLS 1.0/1.1 at the default security level: without SECLEVEL=0 a server that offers them would look safe.
        offerAccepted(target, address, options, { minVersion: version, maxVersion: version, ...(version === "TLSv1" || version === "TLSv1.1" ? { ciphers: "DEFAULT:@SECLEVEL=0" } : {}) }),
      ),
    ),
    offerAccepted(target, address, options, { maxVersion: "TLSv1.2", ciphers: STATIC_RSA }),
    offerAccepted(target, address, options, { maxVersion: "TLSv1.2", ciphers: CBC }),
    Promise.all(families.map((family) => rawProbe(target, address, options, 0x0303, WEAK_SUITES[family]))),
    rawProbe(target, address, options, 0x0300, SSLV3_SUITES, 0x0300),
  ]);
  return {
    address,
    handshake: main,
    versions: Object.fromEntries(VERSIONS.map((v, i) => [v, versions[i]!])) as Record<TlsVersionName, ProbeOutcome>,
    staticRsaAccepted: staticRsa,
    cbcAccepted: cbc,
    weakSuites: Object.fromEntries(families.map((f, i) => [f, weak[i]!])) as Record<WeakSuiteFamily, ProbeOutcome>,
    sslv3,
  };
}

/** At most one IPv4 and one IPv6 address are probed (as Internet.nl does, the worst one counts). */
export async function probeTls(host: string | null, options: TlsProbeOptions): Promise<TlsEvidence> {
  if (!host) return { host: null, addresses: [] };
  let target: ResolvedTarget;
  try {
    target = await resolveForConnect(host, options.ctx);
  } catch (error) {
    const outcome = classify(error);
    const handshakeEvidence: TlsHandshakeEvidence = { outcome: outcome === "refused" ? "error" : outcome, error: (error as Error).message.slice(0, 300), authorized: false, authorizationError: null, authorizedWithIntermediates: null, hostnameMatches: false, chain: [], ocspStapled: false };
    const none: ProbeOutcome = "error";
    return {
      host,
      addresses: [{ address: "", handshake: handshakeEvidence, versions: { TLSv1: none, "TLSv1.1": none, "TLSv1.2": none, "TLSv1.3": none }, staticRsaAccepted: none, cbcAccepted: none, weakSuites: { rc4: none, "3des": none, export: none, null: none, anon: none }, sslv3: none }],
    };
  }
  const v4 = target.addresses.find((a) => net.isIPv4(a));
  const v6 = target.addresses.find((a) => net.isIPv6(a));
  const chosen = [v4, v6].filter((a): a is string => !!a);
  return { host, addresses: await Promise.all(chosen.map((address) => probeAddress(target, address, options))) };
}
