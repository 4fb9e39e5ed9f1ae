import type { CertificateInfo, DomainEvidence, ProbeOutcome, TlsAddressEvidence } from "./evidence";
import type { CheckStatus, Verdict } from "./types";

/** TLS and certificate verdicts (SSL Labs rating guide, testssl.sh, Internet.nl), worst address wins. */

const STATUS_ORDER: CheckStatus[] = ["not-applicable", "info", "pass", "warn", "not-tested", "fail"];

function worst(verdicts: Verdict[]): Verdict {
  return verdicts.reduce((a, b) => (STATUS_ORDER.indexOf(b.status) > STATUS_ORDER.indexOf(a.status) ? b : a));
}

/** Runs a per-address rule on every address whose handshake succeeded; handles the no-handshake cases once. */
/** No web host: "not applicable" only when the address lookups answered; a failed lookup leaves it untested. */
export function noWebHostVerdict(evidence: DomainEvidence): Verdict {
  const d = evidence.dns;
  if ([d.apexA, d.apexAAAA, d.wwwA, d.wwwAAAA].some((a) => a.outcome === "error"))
    return { status: "not-tested", summary: "The address lookups for the domain and www failed, so the website could not be checked.", evidence: {} };
  return { status: "not-applicable", summary: "Neither the domain nor www has an address: there is no website.", evidence: {} };
}

function perAddress(evidence: DomainEvidence, rule: (address: TlsAddressEvidence, evidence: DomainEvidence) => Verdict): Verdict {
  const tls = evidence.tls;
  if (!tls.host) return noWebHostVerdict(evidence);
  const ok = tls.addresses.filter((a) => a.handshake.outcome === "ok");
  if (ok.length === 0) {
    const https = httpsAvailableVerdict(evidence);
    if (https.status === "not-applicable") return https;
    // No HTTPS at all is judged (and capped) once, by https-available; there is no certificate to grade here.
    if (https.status === "fail") return { status: "not-applicable", summary: "HTTPS is not available, so there is nothing to examine (see \"HTTPS available\").", evidence: {} };
    return { status: "not-tested", summary: "No TLS handshake succeeded, so there is no certificate to examine.", evidence: {} };
  }
  const verdicts = ok.map((a) => {
    const v = rule(a, evidence);
    return tls.addresses.length > 1 ? { ...v, evidence: { address: a.address, ...v.evidence } } : v;
  });
  return worst(verdicts);
}

function port80Answered(evidence: DomainEvidence): boolean {
  return evidence.http.httpChain?.exchanges.some((e) => e.outcome === "response") ?? false;
}

export function httpsAvailableVerdict(evidence: DomainEvidence): Verdict {
  const tls = evidence.tls;
  if (!tls.host) return noWebHostVerdict(evidence);
  const outcomes = tls.addresses.map((a) => ({ address: a.address, outcome: a.handshake.outcome, error: a.handshake.error ?? null }));
  const failed = tls.addresses.filter((a) => a.handshake.outcome !== "ok");
  if (tls.addresses.length > 0 && failed.length === 0)
    return { status: "pass", summary: `HTTPS answers on ${tls.host} (${tls.addresses.map((a) => a.handshake.protocol).join(", ")}).`, evidence: { host: tls.host, addresses: outcomes } };
  if (failed.some((a) => a.handshake.outcome === "blocked"))
    return { status: "not-tested", summary: `${tls.host} resolves to an address we do not connect to (not public).`, evidence: { host: tls.host, addresses: outcomes } };
  if (failed.some((a) => a.handshake.outcome === "timeout") || tls.addresses.length === 0)
    return { status: "not-tested", summary: `The TLS connection to ${tls.host} timed out.`, evidence: { host: tls.host, addresses: outcomes } };
  const someOk = failed.length < tls.addresses.length;
  if (!someOk && !port80Answered(evidence) && failed.every((a) => a.handshake.outcome === "refused"))
    return { status: "not-applicable", summary: `Nothing answers on ports 80 or 443 of ${tls.host}: no website.`, evidence: { host: tls.host, addresses: outcomes } };
  return { status: "fail", summary: someOk ? `HTTPS fails on some addresses of ${tls.host}.` : `${tls.host} serves HTTP but HTTPS fails (${failed[0]!.handshake.error ?? failed[0]!.handshake.outcome}).`, evidence: { host: tls.host, addresses: outcomes } };
}

const INCOMPLETE_CHAIN_ERRORS = new Set(["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "UNABLE_TO_GET_ISSUER_CERT"]);

export function certTrustVerdict(evidence: DomainEvidence): Verdict {
  return perAddress(evidence, (a) => {
    const h = a.handshake;
    const ev = { chain: h.chain.map((c) => ({ subject: c.subject, issuer: c.issuer })), error: h.authorizationError };
    if (h.authorized) return { status: "pass", summary: `The chain is trusted (issued by ${h.chain[0]?.issuer ?? "?"}).`, evidence: ev };
    if (h.authorizedWithIntermediates && INCOMPLETE_CHAIN_ERRORS.has(h.authorizationError ?? ""))
      return { status: "warn", summary: "The chain is incomplete: the server does not send its intermediate certificate. Browsers that cannot fetch it show an error.", evidence: ev };
    const reason =
      h.authorizationError === "DEPTH_ZERO_SELF_SIGNED_CERT" ? "the certificate is self-signed"
      : h.authorizationError === "SELF_SIGNED_CERT_IN_CHAIN" ? "the chain ends in an untrusted self-signed root"
      : h.authorizationError === "CERT_HAS_EXPIRED" ? "a certificate in the chain has expired"
      : INCOMPLETE_CHAIN_ERRORS.has(h.authorizationError ?? "") ? "it does not chain to a trusted root (unknown CA, or a missing intermediate we could not supply)"
      : h.chain.some((c, i) => (i === 0 || !c.selfSigned) && weakSignature(c.signatureAlgorithm)) ? `the chain is signed with a weak algorithm, which clients reject (${h.authorizationError ?? "unverified"})`
      : `validation failed (${h.authorizationError ?? "unknown error"})`;
    return { status: "fail", summary: `The certificate is not trusted: ${reason}.`, evidence: ev };
  });
}

export function certHostnameVerdict(evidence: DomainEvidence): Verdict {
  return perAddress(evidence, (a, e) => {
    const leaf = a.handshake.chain[0];
    const ev = { host: e.tls.host, subject: leaf?.subject ?? null, subjectAltNames: leaf?.subjectAltNames ?? [] };
    return a.handshake.hostnameMatches
      ? { status: "pass", summary: `The certificate is valid for ${e.tls.host}.`, evidence: ev }
      : { status: "fail", summary: `The certificate is not valid for ${e.tls.host} (it names ${(leaf?.subjectAltNames ?? []).join(", ") || leaf?.subject || "nothing"}).`, evidence: ev };
  });
}

export const EXPIRY_WARNING_DAYS = 14;

export function certExpiryVerdict(evidence: DomainEvidence): Verdict {
  const now = Date.parse(evidence.observedAt);
  return perAddress(evidence, (a) => {
    const leaf = a.handshake.chain[0];
    if (!leaf) return { status: "not-tested", summary: "No certificate was received.", evidence: {} };
    const from = Date.parse(leaf.validFrom);
    const to = Date.parse(leaf.validTo);
    const daysLeft = Math.floor((to - now) / 86_400_000);
    const ev = { validFrom: leaf.validFrom, validTo: leaf.validTo, daysLeft };
    if (now < from) return { status: "fail", summary: `The certificate is not valid before ${leaf.validFrom}.`, evidence: ev };
    if (now > to) return { status: "fail", summary: `The certificate expired on ${leaf.validTo}.`, evidence: ev };
    if (daysLeft <= EXPIRY_WARNING_DAYS) return { status: "warn", summary: `The certificate expires in ${daysLeft} days (${leaf.validTo}).`, evidence: ev };
    return { status: "pass", summary: `The certificate is valid for ${daysLeft} more days.`, evidence: ev };
  });
}

const STRONG_CURVES = new Set(["prime256v1", "secp384r1", "secp521r1", "P-256", "P-384", "P-521"]);

export function certKeyVerdict(evidence: DomainEvidence): Verdict {
  return perAddress(evidence, (a) => {
    const leaf = a.handshake.chain[0];
    if (!leaf) return { status: "not-tested", summary: "No certificate was received.", evidence: {} };
    const ev = { keyType: leaf.keyType, bits: leaf.keyBits, curve: leaf.curve };
    const bits = leaf.keyBits ?? 0;
    if (leaf.keyType === "rsa" || leaf.keyType === "rsa-pss") {
      if (bits < 2048) return { status: "fail", summary: `RSA ${bits}-bit key: too weak (minimum 2048).`, evidence: ev };
      return { status: "pass", summary: `RSA ${bits}-bit key${bits < 3072 ? " (3072 bits is recommended for keys that must last past 2030)" : ""}.`, evidence: ev };
    }
    if (leaf.keyType === "ec") {
      if (leaf.curve && STRONG_CURVES.has(leaf.curve)) return { status: "pass", summary: `ECDSA key on ${leaf.curve}.`, evidence: ev };
      if (bits > 0 && bits < 224) return { status: "fail", summary: `Elliptic-curve key of ${bits} bits: too weak.`, evidence: ev };
      return { status: "warn", summary: `Elliptic-curve key on an uncommon curve (${leaf.curve ?? "unknown"}).`, evidence: ev };
    }
    if (leaf.keyType === "ed25519" || leaf.keyType === "ed448") return { status: "pass", summary: `${leaf.keyType} key.`, evidence: ev };
    return { status: "warn", summary: `Unusual key type ${leaf.keyType}.`, evidence: ev };
  });
}

export function weakSignature(algorithm: string): "sha1" | "md5" | "md2" | null {
  const a = algorithm.toLowerCase();
  if (a.includes("md2")) return "md2";
  if (a.includes("md5")) return "md5";
  if (a.includes("sha1") || a.includes("sha-1") || a === "1.2.840.10040.4.3" || a === "1.2.840.10045.4.1") return "sha1";
  return null;
}

export function certSignatureVerdict(evidence: DomainEvidence): Verdict {
  return perAddress(evidence, (a) => {
    // The root's own signature is never checked by clients, so only leaf and intermediates count.
    const checked = a.handshake.chain.filter((c: CertificateInfo, i: number) => i === 0 || !c.selfSigned);
    const ev = { signatures: checked.map((c) => ({ subject: c.subject, algorithm: c.signatureAlgorithm })) };
    const weak = checked.find((c) => weakSignature(c.signatureAlgorithm));
    if (weak) return { status: "fail", summary: `${weak.subject} is signed with ${weak.signatureAlgorithm}, which can be forged.`, evidence: ev };
    return { status: "pass", summary: `Signed with ${checked.map((c) => c.signatureAlgorithm).filter((v, i, all) => all.indexOf(v) === i).join(", ")}.`, evidence: ev };
  });
}

export function tlsVersionsVerdict(evidence: DomainEvidence): Verdict {
  return perAddress(evidence, (a) => {
    const v = a.versions;
    const offered = (Object.keys(v) as (keyof typeof v)[]).filter((k) => v[k] === "accepted");
    const ev = { offered: a.sslv3 === "accepted" ? ["SSLv3", ...offered] : offered, probes: { ...v, SSLv3: a.sslv3 } };
    const legacy = [...(a.sslv3 === "accepted" ? ["SSL 3.0"] : []), ...(v.TLSv1 === "accepted" ? ["TLS 1.0"] : []), ...(v["TLSv1.1"] === "accepted" ? ["TLS 1.1"] : [])];
    if (legacy.length > 0) return { status: "fail", summary: `Deprecated protocol${legacy.length > 1 ? "s" : ""} offered: ${legacy.join(", ")}.`, evidence: ev };
    if (v.TLSv1 === "error" || v["TLSv1.1"] === "error") return { status: "not-tested", summary: "Could not tell whether TLS 1.0/1.1 are offered.", evidence: ev };
    if (v["TLSv1.3"] === "accepted") return { status: "pass", summary: `TLS 1.3 offered; TLS 1.0 and 1.1 refused.`, evidence: ev };
    if (v["TLSv1.2"] === "accepted") return { status: v["TLSv1.3"] === "error" ? "not-tested" : "warn", summary: "TLS 1.2 is the best version offered; TLS 1.3 is missing.", evidence: ev };
    return { status: "fail", summary: "Neither TLS 1.2 nor TLS 1.3 is offered.", evidence: ev };
  });
}

export function forwardSecrecyVerdict(evidence: DomainEvidence): Verdict {
  return perAddress(evidence, (a) => {
    const cipher = a.handshake.cipher;
    if (!cipher) return { status: "not-tested", summary: "The negotiated cipher is unknown.", evidence: {} };
    const tls13 = cipher.version === "TLSv1.3";
    const name = cipher.standardName || cipher.name;
    const fs = tls13 || /^(TLS_)?(ECDHE|DHE)[-_]/i.test(name) || /^(ECDHE|DHE|EDH)-/i.test(cipher.name);
    const aead = tls13 || /(GCM|CHACHA20|CCM)/i.test(name);
    const ev = { negotiated: cipher.name, version: cipher.version, ephemeralKey: a.handshake.ephemeralKey ?? null, staticRsaAccepted: a.staticRsaAccepted, cbcAccepted: a.cbcAccepted };
    if (!fs) return { status: "fail", summary: `The default cipher ${cipher.name} has no forward secrecy.`, evidence: ev };
    if (!aead) return { status: "fail", summary: `The default cipher ${cipher.name} is not an AEAD cipher.`, evidence: ev };
    if (a.staticRsaAccepted === "accepted") return { status: "warn", summary: "Clients that offer only static-RSA key exchange (no forward secrecy) are accepted.", evidence: ev };
    if (a.cbcAccepted === "accepted") return { status: "warn", summary: "CBC-mode suites are still accepted.", evidence: ev };
    if (a.staticRsaAccepted === "error" || a.cbcAccepted === "error") return { status: "not-tested", summary: "Could not tell which other suites are accepted.", evidence: ev };
    return { status: "pass", summary: `${cipher.name}: forward secrecy and AEAD; no static-RSA or CBC fallback.`, evidence: ev };
  });
}

export function weakCiphersVerdict(evidence: DomainEvidence): Verdict {
  return perAddress(evidence, (a) => {
    const probes: Record<string, ProbeOutcome> = { ...a.weakSuites, sslv3: a.sslv3 };
    const accepted = Object.entries(probes).filter(([, o]) => o === "accepted").map(([k]) => k);
    const ev = { probes };
    if (accepted.length > 0) return { status: "fail", summary: `Broken suites accepted: ${accepted.join(", ")}.`, evidence: ev };
    if (Object.values(probes).some((o) => o === "error")) return { status: "not-tested", summary: "Some weak-suite probes could not complete.", evidence: ev };
    return { status: "pass", summary: "RC4, 3DES, export, NULL and anonymous suites and SSL 3.0 are all refused.", evidence: ev };
  });
}

export function ocspStaplingVerdict(evidence: DomainEvidence): Verdict {
  return perAddress(evidence, (a) => {
    const leaf = a.handshake.chain[0];
    const ev = { stapled: a.handshake.ocspStapled, ocspUris: leaf?.ocspUris ?? [] };
    if (a.handshake.ocspStapled) return { status: "info", summary: "An OCSP response is stapled.", evidence: ev };
    if ((leaf?.ocspUris.length ?? 0) === 0) return { status: "info", summary: "The certificate has no OCSP URL (normal for CAs that stopped OCSP), so there is nothing to staple.", evidence: ev };
    return { status: "info", summary: "The certificate has an OCSP URL but no response is stapled.", evidence: ev };
  });
}
