import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

/**
 * Test certificate authorities generated at run time with @peculiar/x509 (WebCrypto: any validity window,
 * RSA 1024, SHA-1 signatures). Nothing here is used outside tests and the fixture servers.
 */

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const EC: EcKeyGenParams & EcdsaParams = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
const DAY = 86_400_000;

export interface Issued {
  certPem: string;
  keyPem: string;
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  signingAlgorithm: Algorithm;
}

async function exportKey(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END PRIVATE KEY-----\n`;
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString("hex").replace(/^[89a-f]/, "1");
}

export async function createRootCa(name = "Ramparts Test Root CA"): Promise<Issued> {
  const keys = (await webcrypto.subtle.generateKey(EC, true, ["sign", "verify"])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${name}, O=Ramparts Tests`,
    notBefore: new Date(Date.now() - 2 * DAY),
    notAfter: new Date(Date.now() + 3650 * DAY),
    signingAlgorithm: EC,
    keys,
    extensions: [new x509.BasicConstraintsExtension(true, 1, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true), await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)],
  });
  return { certPem: cert.toString("pem"), keyPem: await exportKey(keys.privateKey), cert, keys, signingAlgorithm: EC };
}

export async function createIntermediateCa(issuer: Issued, name = "Ramparts Test Intermediate CA"): Promise<Issued> {
  const keys = (await webcrypto.subtle.generateKey(EC, true, ["sign", "verify"])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${name}, O=Ramparts Tests`,
    issuer: issuer.cert.subject,
    notBefore: new Date(Date.now() - 2 * DAY),
    notAfter: new Date(Date.now() + 1825 * DAY),
    signingAlgorithm: issuer.signingAlgorithm,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: await exportKey(keys.privateKey), cert, keys, signingAlgorithm: EC };
}

export interface LeafOptions {
  names: string[];
  notBefore?: Date;
  notAfter?: Date;
  key?: "ec-p256" | "rsa-2048" | "rsa-1024";
  /** Signature hash the issuer uses for this leaf. */
  hash?: "SHA-256" | "SHA-1";
  ocspUrl?: string;
}

export async function createLeaf(issuer: Issued | "self", options: LeafOptions): Promise<Issued> {
  const keyAlgorithm =
    options.key === "rsa-2048" || options.key === "rsa-1024"
      ? { name: "RSASSA-PKCS1-v1_5", hash: options.hash ?? "SHA-256", publicExponent: new Uint8Array([1, 0, 1]), modulusLength: options.key === "rsa-1024" ? 1024 : 2048 }
      : { ...EC, hash: options.hash ?? "SHA-256" };
  const keys = (await webcrypto.subtle.generateKey(keyAlgorithm, true, ["sign", "verify"])) as CryptoKeyPair;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension(options.names.map((value) => ({ type: "dns" as const, value }))),
  ];
  if (options.ocspUrl) {
    extensions.push(new x509.AuthorityInfoAccessExtension({ ocsp: [new x509.GeneralName("url", options.ocspUrl)] }));
  }
  const notBefore = options.notBefore ?? new Date(Date.now() - DAY);
  const notAfter = options.notAfter ?? new Date(Date.now() + 90 * DAY);
  if (issuer === "self") {
    const cert = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: serial(), name: `CN=${options.names[0]}`, notBefore, notAfter, signingAlgorithm: keyAlgorithm, keys, extensions });
    return { certPem: cert.toString("pem"), keyPem: await exportKey(keys.privateKey), cert, keys, signingAlgorithm: keyAlgorithm };
  }
  const signingAlgorithm = { ...issuer.signingAlgorithm, hash: options.hash ?? "SHA-256" };
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${options.names[0]}`,
    issuer: issuer.cert.subject,
    notBefore,
    notAfter,
    signingAlgorithm,
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    extensions: [...extensions, await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey)],
  });
  return { certPem: cert.toString("pem"), keyPem: await exportKey(keys.privateKey), cert, keys, signingAlgorithm: keyAlgorithm };
}

/** A DKIM public key (SPKI, base64) of the given RSA size, for fixture TXT records. */
export async function dkimPublicKey(bits: number): Promise<string> {
  const keys = (await webcrypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1]), modulusLength: bits }, true, ["sign", "verify"])) as CryptoKeyPair;
  return Buffer.from(await webcrypto.subtle.exportKey("spki", keys.publicKey)).toString("base64");
}
