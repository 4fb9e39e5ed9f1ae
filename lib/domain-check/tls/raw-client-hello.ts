import type net from "node:net";
import type { ProbeOutcome, WeakSuiteFamily } from "../rules/evidence";

/**
 * Hand-written ClientHello probes for what Node's OpenSSL 3 cannot offer (RC4, 3DES, export, NULL, anonymous
 * suites, SSL 3.0), as testssl.sh does in "sockets" mode. Only the ServerHello is read: no key exchange is done.
 */

export const WEAK_SUITES: Record<WeakSuiteFamily, number[]> = {
  rc4: [0x0005, 0x0004, 0xc011, 0xc007, 0x0018],
  "3des": [0x000a, 0xc012, 0xc008, 0x0016, 0x0013],
  export: [0x0003, 0x0006, 0x0008, 0x000e, 0x0014, 0x0011, 0x0019],
  null: [0x0001, 0x0002, 0x003b, 0xc010, 0xc006, 0x002c, 0x002d, 0x002e],
  anon: [0x0034, 0x003a, 0x006c, 0x006d, 0x00a6, 0x00a7, 0xc018, 0xc019, 0x001b],
};

/** Common suites a server speaking SSL 3.0 would pick. */
export const SSLV3_SUITES = [0x002f, 0x0035, 0x000a, 0x0005, 0x0004, 0x0033, 0x0039, 0x0016];

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function withLength16(body: Buffer): Buffer {
  return Buffer.concat([u16(body.length), body]);
}

export function buildClientHello(version: number, suites: number[], serverName: string | null): Buffer {
  const random = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) random[i] = (i * 73 + 11) & 0xff;
  const extensions: Buffer[] = [];
  if (version >= 0x0301) {
    if (serverName) {
      const name = Buffer.from(serverName, "ascii");
      const entry = Buffer.concat([Buffer.from([0]), withLength16(name)]);
      extensions.push(Buffer.concat([u16(0x0000), withLength16(withLength16(entry))]));
    }
    // supported_groups (x25519, P-256, P-384), ec_point_formats, signature_algorithms: enough for ECDHE/ECDH_anon suites.
    extensions.push(Buffer.concat([u16(0x000a), withLength16(withLength16(Buffer.concat([u16(0x001d), u16(0x0017), u16(0x0018)])))]));
    extensions.push(Buffer.concat([u16(0x000b), withLength16(Buffer.from([1, 0]))]));
    const sigalgs = [0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201, 0x0203];
    extensions.push(Buffer.concat([u16(0x000d), withLength16(withLength16(Buffer.concat(sigalgs.map(u16))))]));
    extensions.push(Buffer.concat([u16(0xff01), withLength16(Buffer.from([0]))]));
  }
  const body = Buffer.concat([
    u16(version),
    random,
    Buffer.from([0]),
    withLength16(Buffer.concat(suites.map(u16))),
    Buffer.from([1, 0]),
    extensions.length ? withLength16(Buffer.concat(extensions)) : Buffer.alloc(0),
  ]);
  const handshake = Buffer.concat([Buffer.from([0x01, (body.length >> 16) & 0xff, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
  return Buffer.concat([Buffer.from([0x16]), u16(version === 0x0300 ? 0x0300 : 0x0301), withLength16(handshake)]);
}

export interface ServerHelloReading {
  kind: "server-hello" | "alert" | "other" | "incomplete";
  version?: number;
  cipher?: number;
}

export function readServerHello(data: Buffer): ServerHelloReading {
  if (data.length < 5) return { kind: "incomplete" };
  if (data[0] === 0x15) return { kind: "alert" };
  if (data[0] !== 0x16) return { kind: "other" };
  // record header (5) + handshake header (4) + version (2) + random (32) + session id length (1)
  if (data.length < 44) return { kind: "incomplete" };
  if (data[5] !== 0x02) return { kind: "other" };
  const version = data.readUInt16BE(9);
  const sidLength = data[43]!;
  if (data.length < 44 + sidLength + 2) return { kind: "incomplete" };
  return { kind: "server-hello", version, cipher: data.readUInt16BE(44 + sidLength) };
}

/** Sends one ClientHello on an open TCP socket and classifies the answer. */
export function probeWithClientHello(socket: net.Socket, hello: Buffer, offered: number[], timeoutMs: number, requireVersion?: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    let buffer = Buffer.alloc(0);
    let settled = false;
    const settle = (outcome: ProbeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => settle("error"), timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const reading = readServerHello(buffer);
      if (reading.kind === "incomplete" && buffer.length < 16_384) return;
      if (reading.kind === "server-hello") {
        const versionOk = requireVersion === undefined || reading.version === requireVersion;
        settle(versionOk && offered.includes(reading.cipher!) ? "accepted" : "rejected");
      } else {
        settle("rejected");
      }
    });
    // A server that hangs up on an offer it cannot serve is refusing it.
    socket.on("end", () => settle("rejected"));
    socket.on("close", () => settle("rejected"));
    socket.on("error", (error: NodeJS.ErrnoException) => settle(error.code === "ECONNRESET" || error.code === "EPIPE" ? "rejected" : "error"));
    socket.write(hello);
  });
}
