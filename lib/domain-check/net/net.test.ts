import http from "node:http";
import net from "node:net";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDnsResolver } from "../dns/dns-resolver";
import { PUBLIC_TARGET_POLICY, operatorTargetPolicy } from "../policy";
import { parseTargetName } from "../target-name";
import { type FixtureDnsServer, startFixtureDns } from "../testing/dns-server";
import { testTargetPolicy } from "../testing/test-policy";
import { addressAllowed, isPublicUnicast } from "./address-policy";
import { resolveForConnect } from "./guarded-connect";
import { fetchChain, httpRequest } from "./http-client";
import { timeoutSignal } from "./timeout-signal";

describe("target names", () => {
  it.each([
    ["127.0.0.1", "ip-literal"],
    ["2130706433", "ip-literal"],
    ["0x7f.1", "ip-literal"],
    ["017700000001", "ip-literal"],
    ["127.1", "ip-literal"],
    ["[::ffff:127.0.0.1]", "not-a-bare-hostname"],
    ["https://example.com", "not-a-bare-hostname"],
    ["example.com:443", "not-a-bare-hostname"],
    ["user:pw@example.com", "not-a-bare-hostname"],
    ["example.com/admin", "not-a-bare-hostname"],
    ["exa mple.com", "not-a-bare-hostname"],
    ["localhost", "single-label"],
    ["intranet", "single-label"],
    ["foo.localhost", "reserved-name"],
    ["db.internal", "reserved-name"],
    ["router.home.arpa", "reserved-name"],
    ["shop.test", "reserved-name"],
    ["example.notarealtld", "no-public-suffix"],
    ["co.uk", "no-public-suffix"],
    ["-bad.example.org", "invalid-hostname"],
    ["", "empty"],
  ])("public policy refuses %s (%s)", (input, code) => {
    const result = parseTargetName(input, PUBLIC_TARGET_POLICY);
    expect(result).toMatchObject({ ok: false, code });
  });

  it("normalizes case, trailing dots and IDNs", () => {
    expect(parseTargetName(" Ramparts.DEV. ", PUBLIC_TARGET_POLICY)).toEqual({ ok: true, domain: "ramparts.dev" });
    // RFC 2606 documentation names are reserved too.
    expect(parseTargetName("example.com", PUBLIC_TARGET_POLICY)).toMatchObject({ ok: false, code: "reserved-name" });
    expect(parseTargetName("bücher.de", PUBLIC_TARGET_POLICY)).toEqual({ ok: true, domain: "xn--bcher-kva.de" });
    expect(parseTargetName("user.github.io", PUBLIC_TARGET_POLICY)).toEqual({ ok: true, domain: "user.github.io" });
  });

  it("lets operators opt in to reserved names, never to IP literals", () => {
    const operator = operatorTargetPolicy({ allowPrivateTargets: true });
    expect(parseTargetName("db.internal", operator)).toEqual({ ok: true, domain: "db.internal" });
    expect(parseTargetName("good.test", operator)).toEqual({ ok: true, domain: "good.test" });
    expect(parseTargetName("10.0.0.1", operator)).toMatchObject({ ok: false, code: "ip-literal" });
    expect(parseTargetName("db.internal", operatorTargetPolicy({ allowPrivateTargets: false }))).toMatchObject({ ok: false, code: "reserved-name" });
  });
});

describe("address policy", () => {
  it.each(["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "255.255.255.255", "224.0.0.1", "192.0.2.1", "198.18.0.1", "::1", "::", "fe80::1", "fd00:ec2::254", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::", "2001::1", "2001:db8::1"])(
    "%s is not public unicast",
    (address) => {
      expect(isPublicUnicast(address)).toBe(false);
      expect(addressAllowed(address, PUBLIC_TARGET_POLICY)).toBe(false);
    },
  );

  it("allows public unicast, and denied ranges win even when private targets are allowed", () => {
    expect(isPublicUnicast("93.184.215.14")).toBe(true);
    expect(isPublicUnicast("2606:2800:21f:cb07:6820:80da:af6b:8b2c")).toBe(true);
    const policy = operatorTargetPolicy({ allowPrivateTargets: true, deniedCidrs: ["169.254.0.0/16", "fd00::/8", "127.0.0.99/32"] });
    expect(addressAllowed("10.0.0.1", policy)).toBe(true);
    expect(addressAllowed("169.254.169.254", policy)).toBe(false);
    expect(addressAllowed("fd00:ec2::254", policy)).toBe(false);
    expect(addressAllowed("::ffff:127.0.0.99", policy)).toBe(false);
    expect(addressAllowed("not-an-ip", policy)).toBe(false);
  });
});

describe("DNS resolver against a local server", () => {
  let server: FixtureDnsServer;
  beforeAll(async () => {
    server = await startFixtureDns({
      records: {
        "signed.example": { A: ["192.0.2.1"], TXT: ["x".repeat(2000)] },
        "a.b.plain.example": { A: ["192.0.2.2"] },
        "alias.plain.example": { CNAME: "a.b.plain.example" },
        "broken.example": { A: ["192.0.2.3"] },
      },
      signedZones: ["signed.example"],
      bogusZones: ["broken.example"],
      silentNames: ["silent.example"],
    });
  });
  afterAll(() => server.close());

  it("tells NXDOMAIN from NODATA (empty non-terminals exist) and follows CNAMEs", async () => {
    const resolver = createDnsResolver({ servers: [server.server] });
    expect((await resolver.query("nothing.plain.example", "A")).outcome).toBe("nxdomain");
    expect((await resolver.query("b.plain.example", "A")).outcome).toBe("nodata");
    expect(await resolver.query("alias.plain.example", "A")).toMatchObject({ outcome: "records", records: ["192.0.2.2"] });
  });

  it("reads the AD flag, retries over TCP when truncated, and reports SERVFAIL and timeouts as errors", async () => {
    const resolver = createDnsResolver({ servers: [server.server], timeoutMs: 300, tries: 1 });
    expect(await resolver.query("signed.example", "A")).toMatchObject({ outcome: "records", authenticated: true });
    expect((await resolver.query("a.b.plain.example", "A")).authenticated).toBe(false);
    const big = await resolver.query<string>("signed.example", "TXT");
    expect(big.records[0]).toHaveLength(2000);
    expect(await resolver.query("broken.example", "A")).toMatchObject({ outcome: "error", error: "SERVFAIL" });
    expect(await resolver.query("broken.example", "A", { checkingDisabled: true })).toMatchObject({ outcome: "records" });
    const started = Date.now();
    expect(await resolver.query("silent.example", "A")).toMatchObject({ outcome: "error", error: "timeout" });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("refuses to resolve for connecting when any address is denied, and IP literals under the public policy", async () => {
    const resolver = createDnsResolver({ servers: [server.server] });
    const ctx = { resolver, signal: new AbortController().signal };
    await expect(resolveForConnect("a.b.plain.example", { ...ctx, policy: testTargetPolicy({ ports: { http: 1, https: 2 }, allowPrivateTargets: false }) })).rejects.toThrow(/not an allowed target|non-public|reserved/i);
    await expect(resolveForConnect("127.0.0.1", { ...ctx, policy: PUBLIC_TARGET_POLICY })).rejects.toThrow(/IP literal/);
    await expect(resolveForConnect("93.184.215.14", { ...ctx, policy: PUBLIC_TARGET_POLICY })).rejects.toThrow(/IP literal/);
    expect(await resolveForConnect("a.b.plain.example", { ...ctx, policy: testTargetPolicy({ ports: { http: 1, https: 2 } }) })).toEqual({ host: "a.b.plain.example", addresses: ["192.0.2.2"] });
  });
});

describe("guarded HTTP client", () => {
  let web: http.Server;
  let port: number;
  let dns: FixtureDnsServer;
  const connections: string[] = [];
  beforeAll(async () => {
    web = http.createServer((req, res) => {
      if (req.url === "/bomb") {
        res.writeHead(200, { "content-type": "text/plain", "content-encoding": "gzip" });
        res.end(zlib.gzipSync(Buffer.alloc(5 * 1024 * 1024, 97)));
      } else if (req.url === "/big") {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("b".repeat(300_000));
      } else if (req.url === "/to-port") res.writeHead(302, { location: `http://site.example:${port}/` }).end();
      else if (req.url === "/to-ftp") res.writeHead(302, { location: "ftp://site.example/" }).end();
      else if (req.url === "/to-literal") res.writeHead(302, { location: "http://0x7f.1/" }).end();
      else res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
    web.on("connection", (s: net.Socket) => connections.push(`${s.localAddress}`));
    await new Promise<void>((r) => web.listen(0, "127.0.0.1", r));
    port = (web.address() as net.AddressInfo).port;
    dns = await startFixtureDns({ records: { "site.example": { A: ["127.0.0.1"] } } });
  });
  afterAll(async () => {
    web.closeAllConnections();
    await new Promise((r) => web.close(r));
    await dns.close();
  });
  const ctx = () => ({ resolver: createDnsResolver({ servers: [dns.server] }), policy: testTargetPolicy({ ports: { http: port, https: port } }), signal: new AbortController().signal });

  it("caps bodies before and after decompression", async () => {
    const bomb = await httpRequest("http://site.example/bomb", { ctx: ctx(), timeoutMs: 5000, maxBodyBytes: 64 * 1024, keepBody: true });
    expect(bomb.bodyTruncated).toBe(true);
    expect(bomb.body!.length).toBeLessThanOrEqual(64 * 1024);
    const big = await httpRequest("http://site.example/big", { ctx: ctx(), timeoutMs: 5000, maxBodyBytes: 100 * 1024, keepBody: true });
    expect(big.bodyTruncated).toBe(true);
    expect(big.body!.length).toBe(100 * 1024);
  });

  it("does not follow redirects to other ports, other schemes or IP literals", async () => {
    const before = connections.length;
    const toPort = await fetchChain("http://site.example/to-port", { ctx: ctx(), timeoutMs: 5000, maxBodyBytes: 1024 });
    expect(toPort).toMatchObject({ end: "blocked-location" });
    expect((await fetchChain("http://site.example/to-ftp", { ctx: ctx(), timeoutMs: 5000, maxBodyBytes: 1024 })).end).toBe("blocked-location");
    const literal = await fetchChain("http://site.example/to-literal", { ctx: { ...ctx(), policy: testTargetPolicy({ ports: { http: port, https: port }, allowPrivateTargets: false, deniedCidrs: [] }) }, timeoutMs: 5000, maxBodyBytes: 1024 });
    // The first hop itself is loopback and refused under this policy: nothing is dialled at all.
    expect(literal.exchanges[0]?.outcome).toBe("blocked");
    expect(connections.length - before).toBe(2);
  });

  it("refuses URLs with explicit ports or credentials without connecting", async () => {
    const before = connections.length;
    expect((await httpRequest(`http://site.example:${port}/`, { ctx: ctx(), timeoutMs: 5000, maxBodyBytes: 1024 })).outcome).toBe("blocked");
    expect((await httpRequest("http://user:pw@site.example/", { ctx: ctx(), timeoutMs: 5000, maxBodyBytes: 1024 })).outcome).toBe("blocked");
    expect(connections.length).toBe(before);
  });
});

describe("timeout signals", () => {
  it("abort after the delay with a timeout error, or at once when the parent aborts", async () => {
    const timed = timeoutSignal(30);
    expect(timed.aborted).toBe(false);
    await new Promise((r) => setTimeout(r, 60));
    expect(timed.aborted).toBe(true);
    expect((timed.reason as { code?: string }).code).toBe("ETIMEDOUT");
    const parent = new AbortController();
    const child = timeoutSignal(60_000, parent.signal);
    parent.abort(new Error("client went away"));
    expect(child.aborted).toBe(true);
    expect((child.reason as Error).message).toBe("client went away");
    expect(timeoutSignal(60_000, parent.signal).aborted).toBe(true);
  });
});
