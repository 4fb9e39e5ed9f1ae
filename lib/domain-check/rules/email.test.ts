import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { dkimVerdict, parseDkimKey } from "./dkim";
import { dmarcPolicyVerdict, dmarcReportingVerdict, effectiveDmarc, parseDmarc } from "./dmarc";
import type { DnsAnswer, DnsEvidence, MailEvidence } from "./evidence";
import { mailProfile } from "./mail-profile";
import { mtaStsVerdict, mxPatternMatches, parseMtaStsPolicy } from "./mta-sts";
import { countSpfLookups, finalAllQualifier, parseSpf, spfLookupsVerdict, spfRecordVerdict } from "./spf";

function txt(name: string, records: string[] | "nxdomain" | "error"): DnsAnswer<string> {
  if (records === "nxdomain") return { name, type: "TXT", outcome: "nxdomain", records: [], authenticated: false };
  if (records === "error") return { name, type: "TXT", outcome: "error", records: [], authenticated: false, error: "timeout" };
  return { name, type: "TXT", outcome: records.length ? "records" : "nodata", records, authenticated: false };
}

function mail(overrides: Partial<MailEvidence> = {}): MailEvidence {
  return {
    apexTxt: txt("example.com", ["v=spf1 -all"]),
    spfTargets: {},
    dmarc: txt("_dmarc.example.com", ["v=DMARC1; p=reject"]),
    dmarcOrganizational: null,
    dmarcReportAuthorizations: {},
    dkim: { domainKey: txt("_domainkey.example.com", "nxdomain"), wildcard: txt("x._domainkey.example.com", "nxdomain"), selectors: {} },
    mtaSts: { record: txt("_mta-sts.example.com", []), policy: null },
    tlsRpt: txt("_smtp._tls.example.com", []),
    bimi: txt("default._bimi.example.com", []),
    ...overrides,
  };
}

function dnsWithMx(hosts: string[] | "null"): DnsEvidence {
  const mx = hosts === "null" ? [{ preference: 0, exchange: "" }] : hosts.map((exchange, i) => ({ preference: i, exchange }));
  const empty = (type: string): DnsAnswer<never> => ({ name: "example.com", type, outcome: "nodata", records: [], authenticated: false });
  return {
    apexA: empty("A"), apexAAAA: empty("AAAA"), wwwA: empty("A"), wwwAAAA: empty("AAAA"),
    mx: { name: "example.com", type: "MX", outcome: "records", records: mx, authenticated: false },
    ns: empty("NS"), nsAddresses: {}, caa: [],
    dnssec: { soa: empty("SOA"), ds: empty("DS"), soaCheckingDisabled: null },
  };
}

describe("SPF", () => {
  it("counts DNS-querying terms through includes and redirect, and fails over 10", () => {
    const targets = {
      "a.example": txt("a.example", ["v=spf1 include:b.example mx a -all"]),
      "b.example": txt("b.example", ["v=spf1 a mx ptr exists:%{i}.x.example ~all"]),
    };
    const count = countSpfLookups("v=spf1 include:a.example a mx ip4:192.0.2.0/24 -all", targets);
    // include a mx (3) + include mx a (3) + a mx ptr exists (4)
    expect(count.lookups).toBe(10);
    expect(count.usesPtr).toBe(true);
    const big = mail({ apexTxt: txt("example.com", ["v=spf1 include:a.example include:a.example2 -all"]), spfTargets: { ...targets, "a.example2": txt("a.example2", ["v=spf1 a a a -all"]) } });
    expect(spfLookupsVerdict(big).status).toBe("fail");
  });

  it("treats two SPF records as a permanent error and a missing include target as an error, not a pass", () => {
    expect(spfRecordVerdict(mail({ apexTxt: txt("example.com", ["v=spf1 -all", "v=spf1 mx -all"]) })).status).toBe("fail");
    expect(spfLookupsVerdict(mail({ apexTxt: txt("example.com", ["v=spf1 include:gone.example -all"]), spfTargets: { "gone.example": txt("gone.example", "nxdomain") } })).status).toBe("fail");
    expect(spfLookupsVerdict(mail({ apexTxt: txt("example.com", ["v=spf1 include:slow.example -all"]), spfTargets: { "slow.example": txt("slow.example", "error") } })).status).toBe("not-tested");
    expect(spfRecordVerdict(mail({ apexTxt: txt("example.com", "error") })).status).toBe("not-tested");
  });

  it("follows redirect= for the all qualifier and ignores v=spf10 lookalikes", () => {
    expect(finalAllQualifier("v=spf1 redirect=_spf.example", { "_spf.example": txt("_spf.example", ["v=spf1 ip4:192.0.2.1 ~all"]) })).toBe("~");
    expect(finalAllQualifier("v=spf1 mx", {})).toBeNull();
    expect(spfRecordVerdict(mail({ apexTxt: txt("example.com", ["v=spf10 -all"]) })).status).toBe("fail");
    expect(parseSpf("v=spf1 foo:bar -all").errors).toEqual(['unknown term "foo:bar"']);
  });
});

describe("DMARC", () => {
  it("applies t=y as a one-step downgrade and uses sp= for the organizational fallback", () => {
    expect(parseDmarc("v=DMARC1; p=reject; t=y", "example.com", false).appliedPolicy).toBe("quarantine");
    expect(parseDmarc("v=DMARC1; p=quarantine; t=y", "example.com", false).appliedPolicy).toBe("none");
    expect(parseDmarc("v=DMARC1; p=reject; sp=none", "example.com", true).appliedPolicy).toBe("none");
    expect(parseDmarc("v=DMARC1; rua=mailto:a@example.com", "example.com", false).appliedPolicy).toBe("none");
    expect(dmarcPolicyVerdict(mail({ dmarc: txt("_dmarc.example.com", ["v=DMARC1; p=quarantine; t=y"]) })).status).toBe("fail");
    expect(dmarcPolicyVerdict(mail({ dmarc: txt("_dmarc.example.com", ["v=DMARC1; p=quarantine; pct=50"]) })).status).toBe("warn");
    expect(dmarcPolicyVerdict(mail({ dmarc: txt("_dmarc.example.com", ["v=DMARC1; p=rejected"]) })).status).toBe("fail");
  });

  it("finds the organizational domain's record when the subdomain has none", () => {
    const evidence = mail({ dmarc: txt("_dmarc.shop.example.com", []), dmarcOrganizational: { domain: "example.com", answer: txt("_dmarc.example.com", ["v=DMARC1; p=reject; sp=quarantine"]) } });
    expect(effectiveDmarc(evidence)?.appliedPolicy).toBe("quarantine");
  });

  it("requires external report destinations to authorize the domain", () => {
    const record = txt("_dmarc.example.com", ["v=DMARC1; p=reject; rua=mailto:agg@reports.vendor.example"]);
    const unauthorized = mail({ dmarc: record, dmarcReportAuthorizations: { "reports.vendor.example": txt("example.com._report._dmarc.reports.vendor.example", "nxdomain") } });
    expect(dmarcReportingVerdict(unauthorized).status).toBe("warn");
    const authorized = mail({ dmarc: record, dmarcReportAuthorizations: { "reports.vendor.example": txt("example.com._report._dmarc.reports.vendor.example", ["v=DMARC1"]) } });
    expect(dmarcReportingVerdict(authorized).status).toBe("pass");
  });
});

describe("mail profile, DKIM and MTA-STS", () => {
  it("treats a null MX, or no MX with SPF -all and DMARC reject, as non-sending", () => {
    expect(mailProfile(dnsWithMx("null"), mail()).nonSending).toBe(true);
    expect(mailProfile(dnsWithMx([]), mail()).nonSending).toBe(true);
    expect(mailProfile(dnsWithMx([]), mail({ dmarc: txt("_dmarc.example.com", ["v=DMARC1; p=none"]) })).nonSending).toBe(false);
    expect(dkimVerdict(mail(), mailProfile(dnsWithMx("null"), mail())).status).toBe("not-applicable");
  });

  it("grades DKIM keys by size and spots wildcards and revoked keys", () => {
    const key1024 = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ type: "spki", format: "der" }).toString("base64");
    expect(parseDkimKey("s1", `v=DKIM1; k=rsa; p=${key1024}`)?.bits).toBe(1024);
    expect(parseDkimKey("s1", "v=DKIM1; p=")?.revoked).toBe(true);
    const profile = mailProfile(dnsWithMx(["mx.example.com"]), mail());
    expect(dkimVerdict(mail({ dkim: { domainKey: txt("_domainkey.example.com", []), wildcard: txt("x", "nxdomain"), selectors: { s1: txt("s1._domainkey.example.com", [`v=DKIM1; k=rsa; p=${key1024}`]) } } }), profile).status).toBe("warn");
    expect(dkimVerdict(mail({ dkim: { domainKey: txt("_domainkey.example.com", []), wildcard: txt("x", ["v=DKIM1; p=abc"]), selectors: {} } }), profile).status).toBe("info");
    expect(dkimVerdict(mail({ dkim: { domainKey: txt("_domainkey.example.com", []), wildcard: txt("x", "nxdomain"), selectors: {} } }), profile).status).toBe("pass");
    expect(dkimVerdict(mail(), profile).status).toBe("warn");
  });

  it("parses MTA-STS policies and matches MX patterns one label deep", () => {
    expect(mxPatternMatches("*.example.com", "mx1.example.com")).toBe(true);
    expect(mxPatternMatches("*.example.com", "a.b.example.com")).toBe(false);
    expect(mxPatternMatches("*.example.com", "example.com")).toBe(false);
    expect(parseMtaStsPolicy("version: STSv1\nmode: enforce\nmax_age: 86400\n").errors).toEqual(["no mx: lines"]);
    const profile = mailProfile(dnsWithMx(["mx1.example.com"]), mail());
    const policy = (body: string, tlsVerified = true) => mail({
      mtaSts: {
        record: txt("_mta-sts.example.com", ["v=STSv1; id=abc123"]),
        policy: { url: "https://mta-sts.example.com/.well-known/mta-sts.txt", method: "GET", outcome: "response", status: 200, headers: {}, body, tlsVerified },
      },
    });
    expect(mtaStsVerdict(policy("version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 604800"), profile).status).toBe("pass");
    expect(mtaStsVerdict(policy("version: STSv1\nmode: testing\nmx: *.example.com\nmax_age: 604800"), profile).status).toBe("warn");
    expect(mtaStsVerdict(policy("version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 99999999"), profile).status).toBe("fail");
    expect(mtaStsVerdict(policy("version: STSv1\nmode: enforce\nmx: *.example.com\nmax_age: 604800", false), profile).status).toBe("fail");
    expect(mtaStsVerdict(mail(), mailProfile(dnsWithMx([]), mail())).status).toBe("not-applicable");
  });
});
