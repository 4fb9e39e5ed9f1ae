import type http from "node:http";
import type net from "node:net";
import { createIntermediateCa, createLeaf, createRootCa, dkimPublicKey, type Issued } from "./certificates";
import { type FixtureDnsServer, type FixtureRecords, startFixtureDns } from "./dns-server";
import type { TargetPolicy } from "../policy";
import { testTargetPolicy } from "./test-policy";
import { type Handler, type HostServerSpec, startWebServers } from "./web-servers";

/**
 * The offline world the domain check is tested against: a DNS server with fixture zones and one web host per
 * scenario, each on its own loopback address. good.<tld> is configured well (grade A or better), neglected.<tld>
 * badly (F), and every other domain carries specific flaws (see FIXTURE_DOMAINS).
 */

/** Address that stands for "somewhere we must never connect" (cloud metadata, internal services): always denied. */
export const FORBIDDEN_ADDRESS = "127.0.0.99";

/**
 * The fixture domains under a top-level domain: `.test` for in-process tests (reserved, so only test and
 * operator policies accept it), or a real public TLD for the browser test, whose world runs inside a network
 * namespace where these names and public-looking addresses exist only on its loopback interface.
 */
export function fixtureDomains(tld = "test") {
  const n = (label: string) => `${label}.${tld}`;
  return {
    good: n("good"),
    neglected: n("neglected"),
    expired: n("expired"),
    wrongName: n("wrongname"),
    selfSigned: n("selfsigned"),
    incompleteChain: n("incomplete"),
    rsa1024: n("rsa1024"),
    sha1: n("sha1"),
    tls10: n("tls10"),
    tls13Only: n("tls13only"),
    badHeaders: n("headers"),
    redirectLoop: n("redirect-loop"),
    forbiddenHops: n("hop"),
    silent: n("silent"),
    mailFlaws: n("mailflaws"),
    bogusDnssec: n("bogus"),
    /** The DNS server never answers for this name or anything below it. */
    silentDns: n("silent-dns"),
    /** Resolves straight to FORBIDDEN_ADDRESS (DNS rebinding to an internal address). */
    forbidden: n("internal-target"),
  } as const;
}

export type FixtureDomains = ReturnType<typeof fixtureDomains>;

/**
 * A real public TLD for fixture names that the public policy accepts (tests of the public endpoint). Such
 * names must only ever be answered by the fixture DNS server: in-process tests point the resolver at it,
 * and the browser test runs inside a network namespace with no route out.
 */
export const PUBLIC_FIXTURE_TLD = "security";

export const FIXTURE_DOMAINS = fixtureDomains("test");

const DAY = 86_400_000;

export interface FixtureWorld {
  domains: FixtureDomains;
  dns: FixtureDnsServer;
  ports: { http: number; https: number };
  /** Test policy: private loopback fixtures allowed, FORBIDDEN_ADDRESS denied, ports mapped. */
  policy: TargetPolicy;
  roots: string[];
  intermediates: string[];
  /** root + intermediate, the file given to --ca-file. */
  caBundlePem: string;
  /** Connections that reached FORBIDDEN_ADDRESS (must stay empty). */
  forbiddenConnections: { port: number; remote: string }[];
  close(): Promise<void>;
}

function page(res: http.ServerResponse, status: number, headers: Record<string, string | string[]>, body = "") {
  res.writeHead(status, headers);
  res.end(body);
}

const GOOD_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "strict-transport-security": "max-age=63072000; includeSubDomains; preload",
  "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

function securityTxt(expires: Date): string {
  return `Contact: mailto:security@example.org\nExpires: ${expires.toISOString().replace(/\.\d{3}Z$/, "Z")}\nPreferred-Languages: en\n`;
}

/** A well-run site: redirect to https on the same host, strong headers, valid security.txt. */
function wellRunSite(host: string): Handler {
  return (req, res, scheme) => {
    if (scheme === "http") return page(res, 301, { location: `https://${host}${req.url ?? "/"}` });
    if (req.url === "/.well-known/security.txt") return page(res, 200, { "content-type": "text/plain; charset=utf-8" }, securityTxt(new Date(Date.now() + 180 * DAY)));
    if (req.url === "/robots.txt") return page(res, 200, { "content-type": "text/plain" }, "User-agent: *\n");
    if (req.url !== "/") return page(res, 404, { "content-type": "text/plain" }, "not found");
    page(res, 200, { ...GOOD_HEADERS, "set-cookie": ["__Host-session=abc123; Path=/; Secure; HttpOnly; SameSite=Lax"] }, '<!doctype html><html><head><title>Good</title></head><body><script src="/app.js"></script></body></html>');
  };
}

function plainSite(): Handler {
  return (req, res) => {
    if (req.url === "/") return page(res, 200, { "content-type": "text/html", "set-cookie": ["sessionid=abc; Path=/"] }, "<html><body>hello</body></html>");
    page(res, 404, { "content-type": "text/plain" }, "not found");
  };
}

const MODERN_CIPHERS = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384";

function tlsConfig(leaf: Issued, chain: Issued[], extra: Record<string, unknown> = {}) {
  return { key: leaf.keyPem, cert: [leaf.certPem, ...chain.map((c) => c.certPem)].join("\n"), minVersion: "TLSv1.2" as const, ciphers: MODERN_CIPHERS, ...extra };
}

export interface FixtureWorldOptions {
  /** Real ports to listen on (e.g. 80/443 when run as root, so the CLI reaches the fixtures unmapped). */
  ports?: { http: number; https: number };
  /** Top-level domain of the fixture names (default "test"; see fixtureDomains). */
  tld?: string;
  /** Address of fixture host N (default 127.0.0.N, N = 2..20); the forbidden address stays FORBIDDEN_ADDRESS. */
  hostAddress?: (n: number) => string;
  /** Address of the DNS server (default 127.0.0.1, ephemeral port). */
  dnsHost?: string;
}

export async function startFixtureWorld(options: FixtureWorldOptions = {}): Promise<FixtureWorld> {
  const root = await createRootCa();
  const intermediate = await createIntermediateCa(root);
  const tld = options.tld ?? "test";
  const d = fixtureDomains(tld);
  // Names outside the fixture zones (other organizations), under the same TLD.
  const other = (name: string) => `${name}.${tld}`;
  const leaf = (names: string[], options: Parameters<typeof createLeaf>[1] extends infer O ? Partial<O> : never = {}) => createLeaf(intermediate, { names, ...options });
  const [good, wwwGood, mtaStsGood, expired, wrongName, selfSigned, incomplete, rsa1024, sha1, tls10, tls13, headers, loop, hop, mailFlaws, mtaStsMailFlaws] = await Promise.all([
    leaf([d.good]),
    leaf([`www.${d.good}`]),
    leaf([`mta-sts.${d.good}`]),
    leaf([d.expired], { notBefore: new Date(Date.now() - 120 * DAY), notAfter: new Date(Date.now() - 10 * DAY) }),
    leaf([other("somewhere-else")]),
    createLeaf("self", { names: [d.selfSigned] }),
    leaf([d.incompleteChain]),
    leaf([d.rsa1024], { key: "rsa-1024" }),
    leaf([d.sha1], { hash: "SHA-1" }),
    leaf([d.tls10]),
    leaf([d.tls13Only]),
    leaf([d.badHeaders, `www.${d.badHeaders}`]),
    leaf([d.redirectLoop]),
    leaf([d.forbiddenHops]),
    leaf([d.mailFlaws]),
    leaf([`mta-sts.${d.mailFlaws}`]),
  ]);
  const dkim2048 = await dkimPublicKey(2048);

  const ip = options.hostAddress ?? ((n: number) => `127.0.0.${n}`);
  const ns = (domain: string, count = 2): Record<string, FixtureRecords> => {
    const out: Record<string, FixtureRecords> = {};
    for (let i = 1; i <= count; i++) out[`ns${i}.${domain}`] = { A: [i === 1 ? "192.0.2.53" : "198.51.100.53"] };
    return out;
  };
  const zoneBase = (domain: string, address: string | null, nsCount = 2): Record<string, FixtureRecords> => ({
    [domain]: { ...(address ? { A: [address] } : {}), NS: Array.from({ length: nsCount }, (_, i) => `ns${i + 1}.${domain}`), SOA: true },
    ...ns(domain, nsCount),
  });
  const simpleTlsDomains: [string, number][] = [
    [d.expired, 6],
    [d.wrongName, 7],
    [d.selfSigned, 8],
    [d.incompleteChain, 9],
    [d.rsa1024, 10],
    [d.sha1, 11],
    [d.tls10, 12],
    [d.tls13Only, 13],
  ];

  const records: Record<string, FixtureRecords> = {
    // good: everything right.
    ...zoneBase(d.good, ip(2)),
    [d.good]: { A: [ip(2)], NS: [`ns1.${d.good}`, `ns2.${d.good}`], SOA: true, MX: [{ preference: 10, exchange: `mx1.${d.good}` }], TXT: ["v=spf1 mx -all", "google-site-verification=abc"], CAA: [{ flags: 0, tag: "issue", value: "ramparts-test-ca.example" }, { flags: 0, tag: "iodef", value: `mailto:security@${d.good}` }], DS: [{ keyTag: 12345, algorithm: 13, digestType: 2, digest: "aa".repeat(32) }] },
    [`www.${d.good}`]: { A: [ip(3)] },
    [`mta-sts.${d.good}`]: { A: [ip(4)] },
    [`mx1.${d.good}`]: { A: ["192.0.2.25"] },
    [`_dmarc.${d.good}`]: { TXT: [`v=DMARC1; p=reject; rua=mailto:dmarc@${d.good}; adkim=s; aspf=s`] },
    [`selector1._domainkey.${d.good}`]: { TXT: [`v=DKIM1; k=rsa; p=${dkim2048}`] },
    [`_mta-sts.${d.good}`]: { TXT: ["v=STSv1; id=20261127"] },
    [`_smtp._tls.${d.good}`]: { TXT: [`v=TLSRPTv1; rua=mailto:tls-reports@${d.good}`] },
    // neglected: mail and web left at defaults.
    ...zoneBase(d.neglected, ip(5), 1),
    [d.neglected]: { A: [ip(5)], NS: [`ns1.${d.neglected}`], SOA: true, MX: [{ preference: 10, exchange: `mail.${d.neglected}` }], TXT: ["v=spf1 +all"] },
    [`mail.${d.neglected}`]: { A: ["192.0.2.26"] },
    // TLS and certificate flaws: one domain each, otherwise unremarkable.
    ...Object.fromEntries(simpleTlsDomains.flatMap(([domain, n]) => Object.entries(zoneBase(domain, ip(n))))),
    // Header, cookie, CORS, SRI and redirect flaws.
    ...zoneBase(d.badHeaders, ip(14)),
    [`www.${d.badHeaders}`]: { A: [ip(14)] },
    ...zoneBase(d.redirectLoop, ip(15)),
    // Redirects, security.txt and MTA-STS that lead to the forbidden address.
    ...zoneBase(d.forbiddenHops, ip(16)),
    [d.forbiddenHops]: { A: [ip(16)], NS: [`ns1.${d.forbiddenHops}`, `ns2.${d.forbiddenHops}`], SOA: true, MX: [{ preference: 10, exchange: `mx.${d.forbiddenHops}` }], TXT: ["v=spf1 -all"] },
    [`_mta-sts.${d.forbiddenHops}`]: { TXT: ["v=STSv1; id=1"] },
    [`mta-sts.${d.forbiddenHops}`]: { A: [FORBIDDEN_ADDRESS] },
    [`mx.${d.forbiddenHops}`]: { A: ["192.0.2.27"] },
    [d.forbidden]: { A: [FORBIDDEN_ADDRESS] },
    // Names with a public suffix that point at addresses no public scan may dial.
    "loopback-target.com": { A: [FORBIDDEN_ADDRESS] },
    "mapped-target.com": { AAAA: [`::ffff:${FORBIDDEN_ADDRESS}`] },
    "metadata-target.com": { A: ["169.254.169.254"] },
    "mixed-target.com": { A: [ip(2), FORBIDDEN_ADDRESS] },
    // Silent web server.
    ...zoneBase(d.silent, ip(17)),
    // Mail flaws: DMARC p=none, SPF over the lookup limit, MTA-STS testing mode not covering the MX, expired security.txt.
    ...zoneBase(d.mailFlaws, ip(18)),
    [d.mailFlaws]: { A: [ip(18)], NS: [`ns1.${d.mailFlaws}`, `ns2.${d.mailFlaws}`], SOA: true, MX: [{ preference: 10, exchange: `mx.${d.mailFlaws}` }, { preference: 20, exchange: `backup-mx.${other("elsewhere")}` }], TXT: [`v=spf1 ${Array.from({ length: 6 }, (_, i) => `include:_spf${i}.${d.mailFlaws}`).join(" ")} -all`] },
    ...Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`_spf${i}.${d.mailFlaws}`, { TXT: ["v=spf1 a mx ip4:192.0.2.0/24 ~all"] }])),
    [`mx.${d.mailFlaws}`]: { A: ["192.0.2.28"] },
    [`_dmarc.${d.mailFlaws}`]: { TXT: [`v=DMARC1; p=none; rua=mailto:reports@${other("dmarc-vendor")}`] },
    [`_mta-sts.${d.mailFlaws}`]: { TXT: ["v=STSv1; id=2"] },
    [`mta-sts.${d.mailFlaws}`]: { A: [ip(19)] },
    // DNSSEC failing validation.
    ...zoneBase(d.bogusDnssec, ip(20)),
  };

  const dns = await startFixtureDns({ records, signedZones: [d.good], bogusZones: [d.bogusDnssec], silentNames: [d.silentDns] }, options.dnsHost);

  const specs: HostServerSpec[] = [
    { ip: ip(2), http: wellRunSite(d.good), https: { tls: tlsConfig(good, [intermediate]), handler: wellRunSite(d.good) } },
    {
      ip: ip(3),
      http: (req, res) => page(res, 301, { location: `https://www.${d.good}/` }),
      https: { tls: tlsConfig(wwwGood, [intermediate]), handler: (req, res) => page(res, 301, { location: `https://${d.good}${req.url ?? "/"}`, ...GOOD_HEADERS }) },
    },
    {
      ip: ip(4),
      http: "refused",
      https: {
        tls: tlsConfig(mtaStsGood, [intermediate]),
        handler: (req, res) =>
          req.url === "/.well-known/mta-sts.txt" ? page(res, 200, { "content-type": "text/plain" }, `version: STSv1\nmode: enforce\nmx: mx1.${d.good}\nmax_age: 604800\n`) : page(res, 404, {}),
      },
    },
    { ip: ip(5), http: plainSite(), https: "refused" },
    ...simpleTlsDomains.map(([domain, n]): HostServerSpec => {
      const certs: Record<string, { leaf: Issued; chain: Issued[]; extra?: Record<string, unknown> }> = {
        [d.expired]: { leaf: expired, chain: [intermediate] },
        [d.wrongName]: { leaf: wrongName, chain: [intermediate] },
        [d.selfSigned]: { leaf: selfSigned, chain: [] },
        [d.incompleteChain]: { leaf: incomplete, chain: [] },
        [d.rsa1024]: { leaf: rsa1024, chain: [intermediate], extra: { ciphers: "DEFAULT:@SECLEVEL=0" } },
        [d.sha1]: { leaf: sha1, chain: [intermediate], extra: { ciphers: "DEFAULT:@SECLEVEL=0" } },
        [d.tls10]: { leaf: tls10, chain: [intermediate], extra: { minVersion: "TLSv1", ciphers: "DEFAULT:@SECLEVEL=0" } },
        [d.tls13Only]: { leaf: tls13, chain: [intermediate], extra: { minVersion: "TLSv1.3" } },
      };
      const c = certs[domain]!;
      return { ip: ip(n), http: wellRunSite(domain), https: { tls: tlsConfig(c.leaf, c.chain, c.extra), handler: wellRunSite(domain) } };
    }),
    {
      ip: ip(14),
      http: (req, res) => page(res, 301, { location: `https://www.${d.badHeaders}/` }),
      https: {
        tls: tlsConfig(headers, [intermediate]),
        handler: (req, res) => {
          const host = (req.headers.host ?? "").split(":")[0];
          if (host === `www.${d.badHeaders}`) return page(res, 301, { location: `https://${d.badHeaders}/` });
          if (req.method === "OPTIONS") return page(res, 204, { "access-control-allow-origin": String(req.headers.origin ?? ""), "access-control-allow-credentials": "true" });
          if (req.url !== "/") return page(res, 404, {});
          page(
            res,
            200,
            {
              "content-type": "text/html",
              "strict-transport-security": "max-age=300",
              "content-security-policy": "default-src 'self'; script-src 'self' 'unsafe-inline'",
              "x-content-type-options": "sniff-please",
              "referrer-policy": "unsafe-url",
              "cross-origin-opener-policy": "same-origin; =broken",
              "set-cookie": ["sessionid=xyz; Path=/; Secure", "csrftoken=abc; Path=/; Secure"],
            },
            `<html><body><script src="http://cdn.${other("elsewhere")}/lib.js"></script></body></html>`,
          );
        },
      },
    },
    {
      ip: ip(15),
      http: (req, res) => page(res, 302, { location: `http://${d.redirectLoop}/again` }),
      https: { tls: tlsConfig(loop, [intermediate]), handler: (req, res) => page(res, 302, { location: `https://${d.redirectLoop}/loop` }) },
    },
    {
      ip: ip(16),
      http: (req, res) => page(res, 301, { location: `http://${d.forbidden}/` }),
      https: {
        tls: tlsConfig(hop, [intermediate]),
        handler: (req, res) => {
          if (req.url === "/.well-known/security.txt") return page(res, 302, { location: `https://${d.forbidden}/security.txt` });
          if (req.url === "/security.txt") return page(res, 302, { location: `http://${FORBIDDEN_ADDRESS}/` });
          page(res, 302, { location: `https://${d.forbidden}/` });
        },
      },
    },
    { ip: ip(17), http: "silent", https: "silent" },
    {
      ip: ip(18),
      http: wellRunSite(d.mailFlaws),
      https: {
        tls: tlsConfig(mailFlaws, [intermediate]),
        handler: (req, res, scheme) =>
          req.url === "/.well-known/security.txt" ? page(res, 200, { "content-type": "text/plain; charset=utf-8" }, securityTxt(new Date(Date.now() - 30 * DAY))) : wellRunSite(d.mailFlaws)(req, res, scheme),
      },
    },
    {
      ip: ip(19),
      http: "refused",
      https: { tls: tlsConfig(mtaStsMailFlaws, [intermediate]), handler: (req, res) => page(res, 200, { "content-type": "text/plain" }, `version: STSv1\nmode: testing\nmx: mx.${d.mailFlaws}\nmax_age: 86400\n`) },
    },
  ];

  const forbiddenConnections: { port: number; remote: string }[] = [];
  let web;
  try {
    web = await startWebServers(specs, [{ ip: FORBIDDEN_ADDRESS, onConnection: (socket: net.Socket, port: number) => forbiddenConnections.push({ port, remote: `${socket.remoteAddress}:${socket.remotePort}` }) }], options.ports);
  } catch (error) {
    await dns.close();
    throw error;
  }
  return {
    domains: d,
    dns,
    ports: web.ports,
    policy: testTargetPolicy({ ports: web.ports, allowPrivateTargets: true, deniedCidrs: [`${FORBIDDEN_ADDRESS}/32`] }),
    roots: [root.certPem],
    intermediates: [intermediate.certPem],
    caBundlePem: `${root.certPem}\n${intermediate.certPem}\n`,
    forbiddenConnections,
    close: async () => {
      await Promise.all([web.close(), dns.close()]);
    },
  };
}
