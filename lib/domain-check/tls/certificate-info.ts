import { X509Certificate } from "node:crypto";
import type { PeerCertificate } from "node:tls";
import type { CertificateInfo } from "../rules/evidence";

/** Turns certificates received in a handshake into plain evidence. */

const SIGNATURE_OIDS: Record<string, string> = {
  "1.2.840.113549.1.1.2": "md2WithRSAEncryption",
  "1.2.840.113549.1.1.4": "md5WithRSAEncryption",
  "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
  "1.2.840.113549.1.1.10": "rsassaPss",
  "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
  "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
  "1.2.840.113549.1.1.13": "sha512WithRSAEncryption",
  "1.2.840.10045.4.1": "ecdsa-with-SHA1",
  "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
  "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
  "1.2.840.10045.4.3.4": "ecdsa-with-SHA512",
  "1.2.840.10040.4.3": "dsa-with-sha1",
  "2.16.840.1.101.3.4.3.2": "dsa-with-sha256",
  "1.3.101.112": "Ed25519",
  "1.3.101.113": "Ed448",
};

function readLength(der: Buffer, offset: number): { length: number; next: number } {
  const first = der[offset]!;
  if (first < 0x80) return { length: first, next: offset + 1 };
  const bytes = first & 0x7f;
  let length = 0;
  for (let i = 0; i < bytes; i++) length = length * 256 + der[offset + 1 + i]!;
  return { length, next: offset + 1 + bytes };
}

function decodeOid(bytes: Buffer): string {
  const parts = [Math.floor(bytes[0]! / 40), bytes[0]! % 40];
  let value = 0;
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join(".");
}

/**
 * The outer signatureAlgorithm of a DER certificate (Node 20's X509Certificate does not expose it):
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signature }.
 */
export function signatureAlgorithmOf(der: Buffer): string {
  try {
    if (der[0] !== 0x30) return "unknown";
    const outer = readLength(der, 1);
    let offset = outer.next;
    if (der[offset] !== 0x30) return "unknown";
    const tbs = readLength(der, offset + 1);
    offset = tbs.next + tbs.length;
    if (der[offset] !== 0x30) return "unknown";
    const algorithm = readLength(der, offset + 1);
    offset = algorithm.next;
    if (der[offset] !== 0x06) return "unknown";
    const oid = readLength(der, offset + 1);
    const dotted = decodeOid(der.subarray(oid.next, oid.next + oid.length));
    return SIGNATURE_OIDS[dotted] ?? dotted;
  } catch {
    return "unknown";
  }
}

export function certificateInfo(der: Buffer): CertificateInfo {
  const cert = new X509Certificate(der);
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const keyType = key.asymmetricKeyType ?? "unknown";
  let selfSigned = false;
  try {
    // checkIssued() also demands keyCertSign, which a self-signed leaf lacks: compare names and verify instead.
    selfSigned = cert.subject === cert.issuer && cert.verify(key);
  } catch {
    selfSigned = false;
  }
  const curveBits: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521, secp224r1: 224, secp192r1: 192, prime192v1: 192, secp256k1: 256 };
  return {
    subject: cert.subject.replace(/\n/g, ", "),
    issuer: cert.issuer.replace(/\n/g, ", "),
    subjectAltNames: (cert.subjectAltName ?? "").split(/,\s*/).filter(Boolean),
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
    keyType,
    keyBits: details.modulusLength ?? (details.namedCurve ? (curveBits[details.namedCurve] ?? null) : keyType === "ed25519" ? 256 : keyType === "ed448" ? 456 : null),
    curve: details.namedCurve ?? null,
    signatureAlgorithm: signatureAlgorithmOf(der),
    selfSigned,
    ocspUris: (cert.infoAccess ?? "").split("\n").filter((l) => l.startsWith("OCSP - URI:")).map((l) => l.slice("OCSP - URI:".length)),
    fingerprint256: cert.fingerprint256,
  };
}

/** The chain as the server sent it, leaf first (Node links it through issuerCertificate; a root links to itself). */
export function peerChain(leaf: PeerCertificate & { issuerCertificate?: PeerCertificate }): CertificateInfo[] {
  const chain: CertificateInfo[] = [];
  const seen = new Set<string>();
  let current: (PeerCertificate & { issuerCertificate?: PeerCertificate }) | undefined = leaf;
  while (current && current.raw && !seen.has(current.fingerprint256) && chain.length < 10) {
    seen.add(current.fingerprint256);
    chain.push(certificateInfo(current.raw));
    current = current.issuerCertificate as typeof current;
  }
  return chain;
}
