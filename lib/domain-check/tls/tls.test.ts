import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { loadPemBundle } from "../pem-bundle";
import { createIntermediateCa, createLeaf, createRootCa } from "../testing/certificates";
import { certificateInfo, signatureAlgorithmOf } from "./certificate-info";
import { WEAK_SUITES, buildClientHello, probeWithClientHello, readServerHello } from "./raw-client-hello";

/**
 * Node's OpenSSL cannot run RC4/3DES/SSLv3 servers, so the raw prober is tested against a TCP server that
 * replays a canned ServerHello (or alert), as the research notes suggest.
 */

function serverHello(version: number, cipher: number): Buffer {
  const body = Buffer.concat([Buffer.from([version >> 8, version & 0xff]), Buffer.alloc(32, 7), Buffer.from([0]), Buffer.from([cipher >> 8, cipher & 0xff]), Buffer.from([0])]);
  const handshake = Buffer.concat([Buffer.from([0x02, 0, 0, body.length]), body]);
  return Buffer.concat([Buffer.from([0x16, version >> 8, version & 0xff, 0, handshake.length]), handshake]);
}

const servers: net.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function canned(reply: Buffer | "close"): Promise<{ port: number; hellos: Buffer[] }> {
  const hellos: Buffer[] = [];
  const server = net.createServer((socket) => {
    socket.once("data", (data) => {
      hellos.push(data);
      if (reply === "close") socket.destroy();
      else socket.end(reply);
    });
    socket.on("error", () => undefined);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { port: (server.address() as net.AddressInfo).port, hellos };
}

async function probe(port: number, version: number, suites: number[], requireVersion?: number) {
  const socket = net.connect({ host: "127.0.0.1", port });
  await new Promise((r) => socket.once("connect", r));
  return probeWithClientHello(socket, buildClientHello(version, suites, "weak.test"), suites, 2000, requireVersion);
}

describe("raw ClientHello probes", () => {
  it("reports a suite as accepted only when the ServerHello picks one we offered", async () => {
    const accepts3des = await canned(serverHello(0x0303, 0x000a));
    expect(await probe(accepts3des.port, 0x0303, WEAK_SUITES["3des"])).toBe("accepted");
    const hello = accepts3des.hellos[0]!;
    expect(hello[0]).toBe(0x16);
    expect(hello.includes(Buffer.from("weak.test"))).toBe(true);
    const picksOther = await canned(serverHello(0x0303, 0xc02f));
    expect(await probe(picksOther.port, 0x0303, WEAK_SUITES["3des"])).toBe("rejected");
  });

  it("treats an alert or a hang-up as refusal, and SSLv3 only when the server answers 3.0", async () => {
    const alert = await canned(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]));
    expect(await probe(alert.port, 0x0303, WEAK_SUITES.rc4)).toBe("rejected");
    const hangUp = await canned("close");
    expect(await probe(hangUp.port, 0x0303, WEAK_SUITES.null)).toBe("rejected");
    const ssl3 = await canned(serverHello(0x0300, 0x002f));
    expect(await probe(ssl3.port, 0x0300, [0x002f], 0x0300)).toBe("accepted");
    const tls12 = await canned(serverHello(0x0303, 0x002f));
    expect(await probe(tls12.port, 0x0300, [0x002f], 0x0300)).toBe("rejected");
  });

  it("parses partial and foreign records safely", () => {
    expect(readServerHello(Buffer.from([0x16, 3]))).toEqual({ kind: "incomplete" });
    expect(readServerHello(Buffer.from("HTTP/1.1 400 Bad Request\r\n\r\n"))).toEqual({ kind: "other" });
  });
});

describe("certificate evidence", () => {
  it("reads the signature algorithm, key and self-signed flag from DER", async () => {
    const root = await createRootCa();
    const intermediate = await createIntermediateCa(root);
    const sha1 = await createLeaf(intermediate, { names: ["a.test"], hash: "SHA-1" });
    const rsa = await createLeaf("self", { names: ["b.test"], key: "rsa-1024" });
    expect(signatureAlgorithmOf(Buffer.from(sha1.cert.rawData))).toBe("ecdsa-with-SHA1");
    expect(signatureAlgorithmOf(Buffer.from(intermediate.cert.rawData))).toBe("ecdsa-with-SHA256");
    const info = certificateInfo(Buffer.from(rsa.cert.rawData));
    expect(info).toMatchObject({ keyType: "rsa", keyBits: 1024, signatureAlgorithm: "sha256WithRSAEncryption", selfSigned: true, subjectAltNames: ["DNS:b.test"] });
    expect(certificateInfo(Buffer.from(sha1.cert.rawData))).toMatchObject({ keyType: "ec", curve: "prime256v1", selfSigned: false });
  });

  it("splits a CA bundle into trusted roots and untrusted intermediates", async () => {
    const root = await createRootCa();
    const intermediate = await createIntermediateCa(root);
    const bundle = loadPemBundle(`${intermediate.certPem}\n${root.certPem}`);
    expect(bundle.roots).toHaveLength(1);
    expect(bundle.intermediates).toHaveLength(1);
    expect(bundle.roots[0]).toContain(root.certPem.trim().split("\n")[1]);
  });
});
