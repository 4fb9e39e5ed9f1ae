import { describe, expect, it } from "vitest";
import { CHECK_CATALOG } from "./catalog";
import { caaVerdict, dnssecVerdict, nsRedundancyVerdict } from "./dns-infrastructure";
import type { DnsAnswer, DnsEvidence, DomainEvidence } from "./evidence";
import { MAX_UNTESTED_SHARE, gradeFor, scoreDomain } from "./score";
import { parseSecurityTxt } from "./security-txt";
import { weakSignature } from "./tls";
import type { CheckResult, CheckStatus } from "./types";

function checks(statuses: Partial<Record<string, CheckStatus>>, fallback: CheckStatus = "pass"): CheckResult[] {
  return CHECK_CATALOG.map((c) => ({ ...c, references: [...c.references], status: statuses[c.id] ?? fallback, summary: "", evidence: {} }));
}

const answer = <T>(type: string, records: T[], extra: Partial<DnsAnswer<T>> = {}): DnsAnswer<T> => ({ name: "example.com", type, outcome: records.length ? "records" : "nodata", records, authenticated: false, ...extra });

function dns(overrides: Partial<DnsEvidence> = {}): DnsEvidence {
  return {
    apexA: answer("A", ["192.0.2.1"]), apexAAAA: answer("AAAA", []), wwwA: answer("A", []), wwwAAAA: answer("AAAA", []),
    mx: answer("MX", []), ns: answer("NS", ["ns1.example.com", "ns2.example.net"]), nsAddresses: { "ns1.example.com": ["192.0.2.53"], "ns2.example.net": ["198.51.100.53"] },
    caa: [answer("CAA", [])], dnssec: { soa: answer("SOA", ["ns1 1"]), ds: answer("DS", []), soaCheckingDisabled: null },
    ...overrides,
  };
}

function evidence(overrides: Partial<DomainEvidence> = {}): DomainEvidence {
  return { domain: "example.com", observedAt: "2026-11-27T00:00:00.000Z", dns: dns(), mail: {} as DomainEvidence["mail"], tls: { host: "example.com", addresses: [] }, http: { host: "example.com", httpChain: null, httpsChain: null, robots: null, cors: null, preloaded: {} }, other: { securityTxt: { wellKnown: null, legacy: null }, www: null }, ...overrides };
}

describe("catalog", () => {
  it("has at least 30 checks in four groups whose weights add up to 100", () => {
    expect(CHECK_CATALOG.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CHECK_CATALOG.map((c) => c.group))).toEqual(new Set(["email-dns", "tls", "http", "other"]));
    expect(CHECK_CATALOG.reduce((sum, c) => sum + c.points, 0)).toBe(100);
    expect(new Set(CHECK_CATALOG.map((c) => c.id)).size).toBe(CHECK_CATALOG.length);
    for (const c of CHECK_CATALOG) expect(c.why.length * c.fix.length).toBeGreaterThan(0);
  });
});

describe("domain score", () => {
  it("gives 100 and A+ when everything passes", () => {
    const s = scoreDomain(checks({}), evidence());
    expect(s).toMatchObject({ kind: "graded", score: 100, grade: "A+", caps: [] });
  });

  it("gives half credit for warn and none for fail, excluding info and not-applicable", () => {
    const s = scoreDomain(checks({ "spf-record": "warn", "https-available": "fail", bimi: "info", "mta-sts": "not-applicable" }), evidence());
    // spf-record 4 pts at half, https-available 6 pts lost, mta-sts 2 pts out of the total.
    expect(s.possiblePoints).toBe(98);
    expect(s.earnedPoints).toBe(98 - 2 - 6);
    expect(s.rawScore).toBe(Math.round((100 * 90) / 98));
  });

  it("leaves untested checks out, and calls a scan incomplete once they pass a quarter of the weight", () => {
    const few = scoreDomain(checks({ csp: "not-tested", hsts: "not-tested" }), evidence());
    expect(few).toMatchObject({ kind: "graded", score: 100, untestedPoints: 9 });
    const ids = CHECK_CATALOG.filter((c) => c.group === "tls").map((c) => c.id);
    const many = scoreDomain(checks(Object.fromEntries(ids.map((id) => [id, "not-tested"]))), evidence());
    expect(many.untestedPoints).toBe(36);
    expect(36 / 100).toBeGreaterThan(MAX_UNTESTED_SHARE);
    expect(many).toMatchObject({ kind: "incomplete", score: null, grade: null });
  });

  it("caps the score for no HTTPS, a bad certificate, legacy TLS and a mail domain without DMARC", () => {
    expect(scoreDomain(checks({ "https-available": "fail" }), evidence()).score).toBe(39);
    expect(scoreDomain(checks({ "cert-hostname": "fail" }), evidence()).score).toBe(49);
    const legacy = evidence({ tls: { host: "example.com", addresses: [{ address: "192.0.2.1", handshake: {} as never, versions: { TLSv1: "accepted", "TLSv1.1": "rejected", "TLSv1.2": "accepted", "TLSv1.3": "accepted" }, staticRsaAccepted: "rejected", cbcAccepted: "rejected", weakSuites: {} as never, sslv3: "rejected" }] } });
    expect(scoreDomain(checks({ "tls-versions": "fail" }), legacy)).toMatchObject({ score: 79, grade: "B" });
    const mailDomain = evidence({ dns: dns({ mx: answer("MX", [{ preference: 10, exchange: "mx.example.com" }]) }) });
    expect(scoreDomain(checks({ "dmarc-record": "fail" }), mailDomain).score).toBe(69);
    // The same failure on a domain without MX is not capped.
    expect(scoreDomain(checks({ "dmarc-record": "fail" }), evidence()).score).toBeGreaterThan(69);
  });

  it("reserves A+ for 95+ with no failure and no cap", () => {
    expect(gradeFor(96, false, false)).toBe("A+");
    expect(gradeFor(96, true, false)).toBe("A");
    expect(gradeFor(85, false, false)).toBe("A");
    expect(gradeFor(84, false, false)).toBe("B");
    expect(gradeFor(55, false, false)).toBe("C");
    expect(gradeFor(40, false, false)).toBe("D");
    expect(gradeFor(39, false, false)).toBe("F");
  });
});

describe("DNS infrastructure rules", () => {
  it("reads DNSSEC from the AD flag, DS presence and SERVFAIL with CD", () => {
    expect(dnssecVerdict(dns({ dnssec: { soa: answer("SOA", ["x"], { authenticated: true }), ds: answer("DS", ["1 13 2"]), soaCheckingDisabled: null } })).status).toBe("pass");
    expect(dnssecVerdict(dns()).status).toBe("warn");
    expect(dnssecVerdict(dns({ dnssec: { soa: answer("SOA", ["x"]), ds: answer("DS", ["1 13 2"]), soaCheckingDisabled: null } })).status).toBe("not-tested");
    const servfail = answer<string>("SOA", [], { outcome: "error", error: "SERVFAIL" });
    expect(dnssecVerdict(dns({ dnssec: { soa: servfail, ds: answer("DS", ["1 13 2"]), soaCheckingDisabled: answer("SOA", ["x"]) } })).status).toBe("fail");
    expect(dnssecVerdict(dns({ dnssec: { soa: servfail, ds: answer("DS", []), soaCheckingDisabled: servfail } })).status).toBe("not-tested");
  });

  it("takes the first CAA set up the tree and requires an issue tag", () => {
    const caa = (records: { flags: number; tag: string; value: string }[][]) => caaVerdict(dns({ caa: records.map((r, i) => ({ ...answer("CAA", r), name: ["www.example.com", "example.com"][i]! })) }));
    expect(caa([[], [{ flags: 0, tag: "issue", value: "letsencrypt.org" }]]).status).toBe("pass");
    expect(caa([[{ flags: 0, tag: "iodef", value: "mailto:a@example.com" }], [{ flags: 0, tag: "issue", value: "ca.example" }]]).status).toBe("warn");
    expect(caa([[], []]).status).toBe("warn");
    expect(caa([[{ flags: 128, tag: "future", value: "x" }, { flags: 0, tag: "issue", value: "ca.example" }]]).status).toBe("warn");
  });

  it("wants two name servers in different networks", () => {
    expect(nsRedundancyVerdict(dns()).status).toBe("pass");
    expect(nsRedundancyVerdict(dns({ nsAddresses: { "ns1.example.com": ["192.0.2.53"], "ns2.example.net": ["192.0.2.54"] } })).status).toBe("warn");
    expect(nsRedundancyVerdict(dns({ ns: answer("NS", ["ns1.example.com"]) })).status).toBe("warn");
  });
});

describe("security.txt and signatures", () => {
  it("requires Contact and exactly one RFC 3339 Expires", () => {
    expect(parseSecurityTxt("Contact: mailto:a@example.com\nExpires: 2027-01-01T00:00:00Z\n").errors).toEqual([]);
    expect(parseSecurityTxt("Expires: 2027-01-01T00:00:00Z\nExpires: 2027-02-01T00:00:00Z\n").errors).toEqual(["no Contact field", "Expires appears more than once"]);
    expect(parseSecurityTxt("Contact: a@example.com\nExpires: tomorrow\n").errors).toHaveLength(2);
  });

  it("knows which signature algorithms are weak", () => {
    expect(weakSignature("sha1WithRSAEncryption")).toBe("sha1");
    expect(weakSignature("ecdsa-with-SHA1")).toBe("sha1");
    expect(weakSignature("md5WithRSAEncryption")).toBe("md5");
    expect(weakSignature("sha256WithRSAEncryption")).toBeNull();
  });
});
