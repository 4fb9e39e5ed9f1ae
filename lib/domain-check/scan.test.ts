import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCheckDomainCli } from "./cli";
import { createDnsResolver, type DnsResolver } from "./dns/dns-resolver";
import { PUBLIC_TARGET_POLICY, operatorTargetPolicy } from "./policy";
import type { DomainReport, ScanEvent } from "./report";
import type { CheckStatus } from "./rules/types";
import { InvalidTargetError, buildReport, scanDomain, scanPublicDomain, streamDomainScan } from "./scan";
import { FIXTURE_DOMAINS as D, FORBIDDEN_ADDRESS, type FixtureWorld, startFixtureWorld } from "./testing/fixture-world";
import { testTargetPolicy } from "./testing/test-policy";

/**
 * End-to-end scans against the offline fixture world: a real DNS server, real HTTP/HTTPS servers with test
 * CAs on loopback addresses. Ports 80/443 are mapped to the fixtures' ephemeral ports by the test policy.
 */

let world: FixtureWorld;
let resolver: DnsResolver;

beforeAll(async () => {
  world = await startFixtureWorld();
  resolver = createDnsResolver({ servers: [world.dns.server], timeoutMs: 1000, tries: 2 });
});

afterAll(async () => {
  await world?.close();
});

function scan(domain: string, extra: Partial<Parameters<typeof scanDomain>[1]> = {}) {
  return scanDomain(domain, { policy: world.policy, resolver, trustAnchors: world.roots, intermediates: world.intermediates, ...extra });
}

function statusOf(report: DomainReport, id: string): CheckStatus {
  const check = report.groups.flatMap((g) => g.checks).find((c) => c.id === id);
  if (!check) throw new Error(`no check ${id}`);
  return check.status;
}

describe("grading the fixture domains", () => {
  it("grades the well-configured domain A or better, every weighted check passing", async () => {
    const report = await scan(D.good);
    expect(report.score.kind).toBe("graded");
    expect(["A+", "A"]).toContain(report.score.grade);
    const notPassing = report.groups.flatMap((g) => g.checks).filter((c) => c.points > 0 && c.status !== "pass");
    expect(notPassing.map((c) => `${c.id}: ${c.summary}`)).toEqual([]);
    expect(report.score.caps).toEqual([]);
    expect(report.observatory?.grade).toBe("A+");
  });

  it("grades the neglected domain F, capped for missing HTTPS and missing DMARC", async () => {
    const report = await scan(D.neglected);
    expect(report.score.grade).toBe("F");
    expect(report.score.caps.map((c) => c.id).sort()).toEqual(["no-dmarc", "no-https"]);
    expect(statusOf(report, "https-available")).toBe("fail");
    expect(statusOf(report, "spf-all")).toBe("fail");
    expect(statusOf(report, "http-redirect")).toBe("fail");
    expect(statusOf(report, "cookies")).toBe("fail");
    // No certificate to grade: those checks do not count twice against a site without HTTPS.
    expect(statusOf(report, "cert-trust")).toBe("not-applicable");
  });

  const flaws: [string, Record<string, CheckStatus>, string[]][] = [
    [D.expired, { "cert-expiry": "fail" }, ["untrusted-certificate"]],
    [D.wrongName, { "cert-hostname": "fail", "cert-trust": "pass" }, ["untrusted-certificate"]],
    [D.selfSigned, { "cert-trust": "fail" }, ["untrusted-certificate"]],
    [D.incompleteChain, { "cert-trust": "warn" }, []],
    [D.rsa1024, { "cert-key": "fail", "tls-forward-secrecy": "warn" }, []],
    [D.sha1, { "cert-signature": "fail", "cert-trust": "fail" }, ["untrusted-certificate"]],
    [D.tls10, { "tls-versions": "fail" }, ["legacy-tls"]],
    [D.tls13Only, { "tls-versions": "pass", "tls-forward-secrecy": "pass", "tls-weak-ciphers": "pass" }, []],
    [
      D.badHeaders,
      {
        "http-redirect": "warn",
        hsts: "warn",
        csp: "fail",
        framing: "fail",
        "x-content-type-options": "warn",
        "referrer-policy": "warn",
        cookies: "fail",
        cors: "fail",
        "cross-origin-isolation": "warn",
        "subresource-integrity": "fail",
      },
      [],
    ],
    [D.redirectLoop, { "http-redirect": "fail", hsts: "fail" }, []],
    [D.mailFlaws, { "spf-lookups": "fail", "dmarc-policy": "fail", "dmarc-reporting": "warn", "mta-sts": "fail", "tls-rpt": "warn", "security-txt": "fail" }, []],
  ];

  it.each(flaws)("%s shows its flaws as the expected checks", async (domain, expected, caps) => {
    const report = await scan(domain);
    const actual = Object.fromEntries(Object.keys(expected).map((id) => [id, statusOf(report, id)]));
    expect(actual).toEqual(expected);
    expect(report.score.caps.map((c) => c.id)).toEqual(caps);
  });

  it("reports a DNSSEC validation failure (bogus) and calls a scan that cannot resolve anything incomplete", async () => {
    const report = await scan(D.bogusDnssec);
    expect(statusOf(report, "dnssec")).toBe("fail");
    expect(statusOf(report, "https-available")).toBe("not-tested");
    expect(report.score.kind).toBe("incomplete");
    expect(report.score.grade).toBeNull();
  });

  it("records the redirect chain that never ends as cut after 10 redirects", async () => {
    const report = await scan(D.redirectLoop);
    const chain = report.evidence.http.httpChain!;
    expect(chain.end).toBe("max-redirects");
    expect(chain.exchanges).toHaveLength(11);
  });

  it("re-grades recorded evidence to the same verdicts and score (rules are pure)", async () => {
    const report = await scan(D.badHeaders);
    const again = buildReport(JSON.parse(JSON.stringify(report.evidence)), new Date(report.startedAt), new Date(report.finishedAt), report.durationMs);
    expect(again.groups).toEqual(report.groups);
    expect(again.score).toEqual(report.score);
  });
});

describe("streaming", () => {
  it("announces each group once with its checks before the final report, which agrees with them", async () => {
    const events: ScanEvent[] = [];
    for await (const event of streamDomainScan(D.good, { policy: world.policy, resolver, trustAnchors: world.roots, intermediates: world.intermediates })) events.push(event);
    expect(events[0]?.type).toBe("scan-started");
    expect(events.at(-1)?.type).toBe("scan-finished");
    const groups = events.filter((e): e is Extract<ScanEvent, { type: "group-finished" }> => e.type === "group-finished");
    expect(groups.map((g) => g.group).sort()).toEqual(["email-dns", "http", "other", "tls"]);
    const final = (events.at(-1) as Extract<ScanEvent, { type: "scan-finished" }>).report;
    for (const g of groups) expect(g.checks).toEqual(final.groups.find((x) => x.group === g.group)!.checks);
    expect(events.filter((e) => e.type === "probe-finished")).toHaveLength(5);
  });
});

describe("safety: targets we must never connect to", () => {
  it("follows no redirect hop, MTA-STS policy host or security.txt location to a denied address", async () => {
    const dialled: string[] = [];
    const report = await scan(D.forbiddenHops, { onDial: (t) => dialled.push(t.address) });
    expect(world.forbiddenConnections).toEqual([]);
    expect(dialled).not.toContain(FORBIDDEN_ADDRESS);
    expect(report.evidence.mail.mtaSts.policy?.outcome).toBe("blocked");
    expect(report.evidence.http.httpChain?.exchanges.at(-1)?.outcome).toBe("blocked");
    expect(report.evidence.other.securityTxt.wellKnown?.exchanges.at(-1)?.outcome).toBe("blocked");
    expect(report.evidence.other.securityTxt.legacy?.exchanges.at(-1)?.outcome).toBe("blocked");
    expect(statusOf(report, "hsts")).toBe("not-tested");
  });

  it.each(["loopback-target.com", "mapped-target.com", "metadata-target.com", "mixed-target.com", D.forbidden])(
    "dials nothing for %s, whose addresses are not public",
    async (domain) => {
      const policy = testTargetPolicy({ ports: world.ports, allowPrivateTargets: domain === D.forbidden, deniedCidrs: [`${FORBIDDEN_ADDRESS}/32`] });
      const dialled: string[] = [];
      const report = await scan(domain, { policy, onDial: (t) => dialled.push(`${t.address}:${t.port}`) });
      expect(dialled).toEqual([]);
      expect(world.forbiddenConnections).toEqual([]);
      expect(statusOf(report, "https-available")).toBe("not-tested");
      expect(report.groups.find((g) => g.group === "tls")!.checks[0]!.summary).toMatch(/do not connect/);
    },
  );

  it("checks the address actually dialled: DNS answers that change after the first lookup (rebinding) are refused", async () => {
    let lookups = 0;
    const rebinding: DnsResolver = {
      servers: resolver.servers,
      async query<T>(name: string, type: Parameters<DnsResolver["query"]>[1], options?: Parameters<DnsResolver["query"]>[2]) {
        const answer = await resolver.query<T>(name, type, options);
        if (name === D.good && type === "A" && answer.outcome === "records") {
          lookups += 1;
          if (lookups > 1) return { ...answer, records: [FORBIDDEN_ADDRESS] as T[] };
        }
        return answer;
      },
    };
    const dialled: string[] = [];
    const report = await scan(D.good, { resolver: rebinding, onDial: (t) => dialled.push(t.address) });
    expect(lookups).toBeGreaterThan(2);
    expect(dialled).not.toContain(FORBIDDEN_ADDRESS);
    expect(world.forbiddenConnections).toEqual([]);
    const outcomes = [report.evidence.http.httpChain, report.evidence.http.httpsChain].flatMap((c) => c?.exchanges.map((e) => e.outcome) ?? []);
    expect(outcomes).toContain("blocked");
  });

  it.each(["127.0.0.1", "2130706433", "0x7f.1", "[::ffff:127.0.0.1]", "::1", "017700000001", "127.1", "http://example.com", "example.com:8080", "user@example.com", "example.com/path", "localhost", "good.test", "metadata.google.internal", "printer.local", "com"])(
    "the public entry point refuses %s before any lookup",
    async (input) => {
      const before = world.dns.queries.length;
      await expect(scanPublicDomain(input, { resolver })).rejects.toBeInstanceOf(InvalidTargetError);
      expect(world.dns.queries.length).toBe(before);
    },
  );

  it("runs public scans with the public policy, which reaches no loopback fixture even through the fixture DNS", async () => {
    const report = await scanPublicDomain("loopback-target.com", { resolver, trustAnchors: world.roots });
    expect(world.forbiddenConnections).toEqual([]);
    expect(report.evidence.tls.addresses[0]?.handshake.outcome).toBe("blocked");
    expect(PUBLIC_TARGET_POLICY.ports).toEqual({ http: 80, https: 443 });
  });

  it("refuses a policy object that was not issued by lib/domain-check/policy", async () => {
    const forged = { kind: "public", allowPrivateTargets: true, ports: { http: world.ports.http, https: world.ports.https }, deniedCidrs: [] } as const;
    await expect(scanDomain(D.good, { policy: forged, resolver })).rejects.toThrow(/Target policy must come from/);
    expect(() => Object.assign(PUBLIC_TARGET_POLICY, { allowPrivateTargets: true })).toThrow(TypeError);
    expect(operatorTargetPolicy({ allowPrivateTargets: true }).ports).toEqual({ http: 80, https: 443 });
  });
});

describe("time budget", () => {
  it("finishes well within 60 s against servers that accept connections and never answer", async () => {
    const started = Date.now();
    const report = await scan(D.silent);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(60_000);
    expect(statusOf(report, "https-available")).toBe("not-tested");
    expect(statusOf(report, "csp")).toBe("not-tested");
    expect(report.score.kind).toBe("incomplete");
  }, 70_000);

  it("finishes against a DNS server that never answers, calling the scan incomplete rather than clean", async () => {
    const started = Date.now();
    const report = await scan(D.silentDns);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(report.score.kind).toBe("incomplete");
    expect(statusOf(report, "dmarc-record")).toBe("not-tested");
    expect(statusOf(report, "https-available")).toBe("not-tested");
  }, 70_000);

  it("stops at the deadline and reports what is missing as not tested", async () => {
    const started = Date.now();
    const report = await scan(D.silent, { deadlineMs: 2000 });
    expect(Date.now() - started).toBeLessThan(6000);
    expect(statusOf(report, "http-redirect")).toBe("not-tested");
  }, 20_000);
});

describe("check-domain CLI", () => {
  it("prints the graded report as JSON for a fixture domain", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "ramparts-ca-"));
    const caFile = path.join(dir, "ca.pem");
    await writeFile(caFile, world.caBundlePem);
    let out = "";
    let err = "";
    const code = await runCheckDomainCli([D.good, "--dns-server", world.dns.server, "--ca-file", caFile, "--allow-private-targets", "--json"], { stdout: (t) => (out += t), stderr: (t) => (err += t) }, { policy: world.policy });
    expect(err).toBe("");
    expect(code).toBe(0);
    const report = JSON.parse(out) as DomainReport;
    expect(report.domain).toBe(D.good);
    expect(report.score.grade).toBe("A+");
    expect(report.groups.flatMap((g) => g.checks)).toHaveLength(35);
  });

  it("explains bad arguments and refuses reserved names without --allow-private-targets", async () => {
    let err = "";
    const io = { stdout: () => undefined, stderr: (t: string) => (err += t) };
    expect(await runCheckDomainCli(["--dns-server"], io)).toBe(2);
    expect(err).toMatch(/--dns-server needs a value/);
    err = "";
    expect(await runCheckDomainCli([D.good, "--dns-server", world.dns.server], io)).toBe(2);
    expect(err).toMatch(/Reserved and internal names/);
    err = "";
    expect(await runCheckDomainCli([D.good, "--ca-file", "/nonexistent.pem", "--allow-private-targets"], io)).toBe(2);
    expect(err).toMatch(/file not found/);
  });
});
