import { X509Certificate } from "node:crypto";

/**
 * Splits a PEM bundle into trust anchors (self-signed roots) and intermediates. Intermediates are not trusted:
 * they only tell an incomplete chain (server forgot its intermediate) from an unknown CA.
 */
export function loadPemBundle(pem: string): { roots: string[]; intermediates: string[] } {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const roots: string[] = [];
  const intermediates: string[] = [];
  for (const block of blocks) {
    const cert = new X509Certificate(block);
    const selfSigned = cert.checkIssued(cert) && cert.verify(cert.publicKey);
    (selfSigned ? roots : intermediates).push(`${block}\n`);
  }
  return { roots, intermediates };
}
