import { describe, expect, it } from "vitest";
import { ConfigurationError, parseSettings } from "@/lib/config/settings";

describe("domain check settings", () => {
  it("reads resolver addresses with optional ports, IPv6 in brackets", () => {
    const s = parseSettings({ DOMAIN_CHECK_DNS_SERVERS: " 10.0.0.53, 10.0.0.54:5353,[2001:db8::53]:53,2001:db8::54 " });
    expect(s.domainCheck.dnsServers).toEqual(["10.0.0.53", "10.0.0.54:5353", "[2001:db8::53]:53", "2001:db8::54"]);
  });

  it.each(["dns.google", "10.0.0.53:99999", "10.0.0.53:", "http://10.0.0.53", "10.0.0.300"])("refuses %s as a resolver, naming the variable", (value) => {
    expect(() => parseSettings({ DOMAIN_CHECK_DNS_SERVERS: value })).toThrow(ConfigurationError);
    expect(() => parseSettings({ DOMAIN_CHECK_DNS_SERVERS: value })).toThrow(/DOMAIN_CHECK_DNS_SERVERS/);
  });

  it("has safe defaults: no resolver configured, 5 scans per address, 4 at once, 30 days", () => {
    expect(parseSettings({}).domainCheck).toEqual({ dnsServers: undefined, caFile: undefined, scansPerClientPer10Minutes: 5, maxConcurrentScans: 4, retentionDays: 30 });
  });

  it("refuses limits out of range", () => {
    expect(() => parseSettings({ DOMAIN_CHECK_MAX_CONCURRENT_SCANS: "0" })).toThrow(/DOMAIN_CHECK_MAX_CONCURRENT_SCANS/);
    expect(() => parseSettings({ DOMAIN_CHECK_SCANS_PER_CLIENT: "many" })).toThrow(/DOMAIN_CHECK_SCANS_PER_CLIENT/);
  });
});
