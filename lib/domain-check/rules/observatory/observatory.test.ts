import { describe, expect, it } from "vitest";
import { cspTest } from "./csp";
import type { ObservatoryRequests, ObservatoryResponse } from "./requests";
import { observatoryGrade, observatoryScore } from "./score";
import { structuredFieldToken } from "./structured-field";
import { coopTest, cookiesTest, corsTest, hstsTest, redirectionTest, referrerPolicyTest, sriTest, xFrameOptionsTest } from "./tests";

/** The MDN HTTP Observatory's published rules (v6), one behaviour per assertion. */

function response(headers: Record<string, string> = {}, extra: Partial<ObservatoryResponse> = {}): ObservatoryResponse {
  return { url: "https://example.com/", status: 200, headers, verified: true, html: null, setCookies: [], ...extra };
}

function site(auto: ObservatoryResponse | null, extra: Partial<ObservatoryRequests> = {}): ObservatoryRequests {
  return {
    host: "example.com",
    http: response({}, { url: "https://example.com/" }),
    https: auto,
    auto,
    httpRoute: [{ url: "http://example.com/", status: 301 }, { url: "https://example.com/", status: 200 }],
    sessionUrl: "https://example.com/",
    setCookies: [],
    cors: null,
    preloaded: () => null,
    ...extra,
  };
}

const csp = (header: string | null, meta: string[] = [], extra: Record<string, string> = {}) =>
  cspTest(site(response({ ...(header !== null ? { "content-security-policy": header } : {}), ...extra }, { html: { scripts: [], metaCsp: meta, metaReferrer: [] } }))).result;

describe("Content-Security-Policy", () => {
  it.each([
    ["default-src 'none'", "csp-implemented-with-no-unsafe-default-src-none"],
    ["default-src 'self'", "csp-implemented-with-no-unsafe"],
    ["default-src 'self'; script-src 'self' 'unsafe-inline'", "csp-implemented-with-unsafe-inline"],
    // No default-src: style-src falls back to * (broad), which is the only remaining problem.
    ["script-src 'nonce-abc' 'unsafe-inline'; object-src 'none'", "csp-implemented-with-unsafe-inline-in-style-src-only"],
    ["script-src 'self'", "csp-implemented-with-unsafe-inline"],
    ["default-src 'self'; script-src 'strict-dynamic'", "csp-header-invalid"],
    ["default-src 'self'; script-src 'nonce-x' 'strict-dynamic' https: 'unsafe-inline'", "csp-implemented-with-no-unsafe"],
    ["default-src https:", "csp-implemented-with-unsafe-inline"],
    ["default-src 'self'; script-src 'self' data:", "csp-implemented-with-unsafe-inline"],
    ["default-src 'self'; img-src http:", "csp-implemented-with-insecure-scheme-in-passive-content-only"],
    ["default-src 'self'; frame-src http://a.example", "csp-implemented-with-insecure-scheme"],
    ["default-src 'self'; script-src 'self' 'unsafe-eval'", "csp-implemented-with-unsafe-eval"],
    ["default-src 'self'; style-src 'self' 'unsafe-inline'", "csp-implemented-with-unsafe-inline-in-style-src-only"],
    ["default-src 'self'; DEFAULT-SRC 'none'", "csp-header-invalid"],
    ["default-src 'self'; report-uri /a; report-uri /b", "csp-implemented-but-duplicate-directives"],
    ["a", "csp-header-invalid"],
    ["default-src 'self' https://a.example, default-src 'self'", "csp-implemented-with-no-unsafe"],
  ])("%s -> %s", (header, expected) => {
    expect(csp(header)).toBe(expected);
  });

  it("reads meta policies, and a Report-Only header alone enforces nothing", () => {
    expect(csp(null, ["default-src 'none'"])).toBe("csp-implemented-with-no-unsafe-default-src-none");
    expect(csp(null, [], { "content-security-policy-report-only": "default-src 'none'" })).toBe("csp-not-implemented-but-reporting-enabled");
    expect(csp(null)).toBe("csp-not-implemented");
  });
});

describe("Strict-Transport-Security and redirection", () => {
  const hsts = (value: string | null, extra: Partial<ObservatoryRequests> = {}) => hstsTest(site(response(value === null ? {} : { "strict-transport-security": value }), extra)).result;

  it.each([
    ["max-age=15552000", "hsts-implemented-max-age-at-least-six-months"],
    ["max-age=15551999; includeSubDomains", "hsts-implemented-max-age-less-than-six-months"],
    ["max-age=31536000, max-age=31536000", "hsts-header-invalid"],
    ["includeSubDomains; preload", "hsts-header-invalid"],
  ])("%s -> %s", (value, expected) => {
    expect(hsts(value)).toBe(expected);
  });

  it("needs HTTPS with a valid certificate, and the preload list overrides the header", () => {
    expect(hsts(null)).toBe("hsts-not-implemented");
    expect(hstsTest(site(null)).result).toBe("hsts-not-implemented-no-https");
    expect(hstsTest(site(response({ "strict-transport-security": "max-age=31536000" }, { verified: false }))).result).toBe("hsts-invalid-cert");
    expect(hsts(null, { preloaded: (h) => (h === "example.com" ? { includeSubDomains: true } : null) })).toBe("hsts-preloaded");
  });

  it.each([
    [[["http://example.com/", 301], ["https://example.com/", 200]], "redirection-to-https"],
    [[["http://example.com/", 200]], "redirection-missing"],
    [[["http://example.com/", 301], ["http://www.example.com/", 301], ["https://www.example.com/", 200]], "redirection-not-to-https-on-initial-redirection"],
    [[["http://example.com/", 301], ["https://www.example.com/", 200]], "redirection-off-host-from-http"],
    [[["http://example.com/", 301], ["http://www.example.com/", 200]], "redirection-not-to-https"],
  ] as [[string, number][], string][])("route %j -> %s", (route, expected) => {
    expect(redirectionTest(site(response(), { httpRoute: route.map(([url, status]) => ({ url, status })) }))).toBe(expected);
  });

  it("passes when nothing listens on http, and fails an invalid certificate on the way", () => {
    expect(redirectionTest(site(response(), { http: null }))).toBe("redirection-not-needed-no-http");
    expect(redirectionTest(site(response(), { http: response({}, { verified: false }) }))).toBe("redirection-invalid-cert");
  });
});

describe("headers", () => {
  it("takes the last valid Referrer-Policy token, the meta tag after the header", () => {
    expect(referrerPolicyTest(site(response({ "referrer-policy": "no-referrer, unsafe-url" })))).toBe("referrer-policy-unsafe");
    expect(referrerPolicyTest(site(response({ "referrer-policy": "unsafe-url, bogus" })))).toBe("referrer-policy-unsafe");
    expect(referrerPolicyTest(site(response({ "referrer-policy": "bogus" })))).toBe("referrer-policy-header-invalid");
    expect(referrerPolicyTest(site(response({ "referrer-policy": "unsafe-url" }, { html: { scripts: [], metaCsp: [], metaReferrer: ["no-referrer"] } })))).toBe("referrer-policy-private");
    expect(referrerPolicyTest(site(response()))).toBe("referrer-policy-not-implemented");
  });

  it("grades X-Frame-Options, with CSP frame-ancestors taking over", () => {
    expect(xFrameOptionsTest(site(response({ "x-frame-options": " sameorigin " })))).toBe("x-frame-options-sameorigin-or-deny");
    expect(xFrameOptionsTest(site(response({ "x-frame-options": "ALLOW-FROM https://a.example" })))).toBe("x-frame-options-allow-from-origin");
    expect(xFrameOptionsTest(site(response({ "x-frame-options": "DENY, DENY" })))).toBe("x-frame-options-header-invalid");
    expect(xFrameOptionsTest(site(response({ "content-security-policy": "default-src 'self'; frame-ancestors 'self'" })))).toBe("x-frame-options-implemented-via-csp");
  });

  it("parses COOP as a structured-field token", () => {
    expect(structuredFieldToken('same-origin; report-to="coop"')).toBe("same-origin");
    expect(structuredFieldToken('"same-origin"')).toBeNull();
    expect(coopTest(site(response({ "cross-origin-opener-policy": "same-origin, unsafe-none" })))).toBe("coop-header-invalid");
    expect(coopTest(site(response({ "cross-origin-opener-policy": "noopener-allow-popups" })))).toBe("coop-implemented-with-noopener-allow-popups");
  });

  it("flags universal CORS only when the Origin is reflected with credentials", () => {
    const cors = (headers: Record<string, string>) => corsTest(site(response(), { cors: { response: response(headers), origin: "https://probe.example" } }));
    expect(cors({ "access-control-allow-origin": "https://probe.example", "access-control-allow-credentials": "true" })).toBe("cross-origin-resource-sharing-implemented-with-universal-access");
    expect(cors({ "access-control-allow-origin": "https://probe.example" })).toBe("cross-origin-resource-sharing-implemented-with-restricted-access");
    expect(cors({ "access-control-allow-origin": "*" })).toBe("cross-origin-resource-sharing-implemented-with-public-access");
  });
});

describe("cookies", () => {
  const cookies = (setCookies: string[], hsts = false) =>
    cookiesTest(site(response(hsts ? { "strict-transport-security": "max-age=31536000" } : {}, { setCookies }), { setCookies })).result;

  it.each([
    [["id=1; Secure; HttpOnly; SameSite=Lax"], false, "cookies-secure-with-httponly-sessions-and-samesite"],
    [["id=1; Secure"], false, "cookies-secure-with-httponly-sessions"],
    [["id=1"], true, "cookies-without-secure-flag-but-protected-by-hsts"],
    [["id=1"], false, "cookies-without-secure-flag"],
    [["SESSIONID=1; HttpOnly"], true, "cookies-session-without-secure-flag-but-protected-by-hsts"],
    [["login_token=1; Secure"], false, "cookies-session-without-httponly-flag"],
    [["sessid=1"], false, "cookies-session-without-secure-flag"],
    [["csrftoken=1; Secure"], false, "cookies-anticsrf-without-samesite-flag"],
    [["a=1; Secure; SameSite=Sometimes"], false, "cookies-samesite-flag-invalid"],
    [["a=1; SameSite=None"], true, "cookies-samesite-flag-invalid"],
    [["heroku-session-affinity=1"], false, "cookies-not-found"],
    [[], false, "cookies-not-found"],
  ])("%j (HSTS %s) -> %s", (setCookies, hsts, expected) => {
    expect(cookies(setCookies, hsts)).toBe(expected);
  });
});

describe("Subresource Integrity", () => {
  const sri = (scripts: { src: string | null; integrity?: string }[], contentType = "text/html") =>
    sriTest(site(response({ "content-type": contentType }, { html: { scripts: scripts.map((s) => ({ src: s.src, integrity: s.integrity ?? null, crossorigin: null })), metaCsp: [], metaReferrer: [] } }))).result;

  it.each([
    [[{ src: "/app.js" }], "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"],
    [[{ src: "https://cdn.example.com/a.js" }], "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"],
    [[{ src: "https://cdn.other.example/a.js" }], "sri-not-implemented-but-external-scripts-loaded-securely"],
    [[{ src: "https://cdn.other.example/a.js", integrity: "sha384-x" }], "sri-implemented-and-external-scripts-loaded-securely"],
    [[{ src: "http://cdn.other.example/a.js" }], "sri-not-implemented-and-external-scripts-not-loaded-securely"],
    [[{ src: "//cdn.other.example/a.js" }], "sri-not-implemented-and-external-scripts-not-loaded-securely"],
    [[{ src: "http://cdn.other.example/a.js", integrity: "sha384-x" }], "sri-implemented-but-external-scripts-not-loaded-securely"],
    [[{ src: "/a.js", integrity: "sha384-x" }], "sri-implemented-and-all-scripts-loaded-securely"],
    [[], "sri-not-implemented-but-no-scripts-loaded"],
  ])("%j -> %s", (scripts, expected) => {
    expect(sri(scripts)).toBe(expected);
  });

  it("does not parse non-HTML responses", () => {
    expect(sri([{ src: "http://evil.example/a.js" }], "application/json")).toBe("sri-not-implemented-response-not-html");
  });
});

describe("Observatory score", () => {
  it("maps scores to grades as the grader does", () => {
    expect(observatoryGrade(100)).toEqual({ score: 100, grade: "A+" });
    expect(observatoryGrade(0)).toEqual({ score: 0, grade: "F" });
    expect(observatoryGrade(120)).toEqual({ score: 120, grade: "A+" });
    expect(observatoryGrade(-10)).toEqual({ score: 0, grade: "F" });
    expect(observatoryGrade(87).grade).toBe("A-");
  });

  it("counts bonuses only while the penalties leave at least 90", () => {
    // Perfect headers except a missing X-Content-Type-Options (-5): bonuses apply.
    const strong = response({
      "content-type": "text/html",
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
      "strict-transport-security": "max-age=31536000",
      "referrer-policy": "no-referrer",
    });
    const withBonus = observatoryScore(site(strong));
    expect(withBonus?.score).toBe(100 + 10 + 5 + 5 - 5);
    // Adding a -20 penalty drops the uncurved score under 90: no bonuses at all.
    const weak = response({ ...strong.headers, "strict-transport-security": "bogus" });
    expect(observatoryScore(site(weak))?.score).toBe(100 - 5 - 20);
    expect(observatoryScore(site(response({}, { status: 500 })))).toBeNull();
  });
});
