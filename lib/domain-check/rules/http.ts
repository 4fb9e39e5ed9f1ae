import type { DomainEvidence, RedirectChain } from "./evidence";
import { cspTest } from "./observatory/csp";
import { observatoryRequests, type ObservatoryRequests } from "./observatory/requests";
import { modifierOf } from "./observatory/score";
import {
  coepTest,
  coopTest,
  cookiesTest,
  corpTest,
  corsTest,
  hstsTest,
  redirectionTest,
  referrerPolicyTest,
  sriTest,
  xContentTypeOptionsTest,
  xFrameOptionsTest,
} from "./observatory/tests";
import { noWebHostVerdict } from "./tls";
import type { CheckStatus, Verdict } from "./types";

/**
 * HTTP checks: each reuses the MDN HTTP Observatory's result code, and the status follows from its
 * modifier (>= 0 pass, -10..-1 warn, <= -20 fail), so a verdict here matches the Observatory's.
 */

export function statusFromModifier(modifier: number): CheckStatus {
  if (modifier >= 0) return "pass";
  if (modifier >= -10) return "warn";
  return "fail";
}

type Applicability = { requests: ObservatoryRequests } | { verdict: Verdict };

function chainProblem(chain: RedirectChain | null): "refused" | "timeout" | "blocked" | "error" | null {
  if (!chain || chain.end === "final" || chain.end === "max-redirects") return null;
  if (chain.end === "blocked-location") return "blocked";
  const last = chain.exchanges.at(-1);
  if (!last || last.outcome === "response") return "error";
  return last.outcome === "refused" ? "refused" : last.outcome === "timeout" ? "timeout" : last.outcome === "blocked" ? "blocked" : "error";
}

function describe(chain: RedirectChain | null): string {
  const last = chain?.exchanges.at(-1);
  if (chain?.end === "blocked-location") return `${chain.start} redirects to ${chain.blockedLocation}, which we do not follow (not a public http(s) address on port 80/443)`;
  return `${last?.url ?? chain?.start ?? "?"}: ${last?.error ?? last?.outcome ?? "no answer"}`;
}

export function httpApplicability(evidence: DomainEvidence): Applicability {
  const http = evidence.http;
  const requests = observatoryRequests(http);
  if (!requests || !http.host) return { verdict: noWebHostVerdict(evidence) };
  if (!requests.auto) {
    const problems = [chainProblem(http.httpChain), chainProblem(http.httpsChain)];
    if (problems.every((p) => p === "refused"))
      return { verdict: { status: "not-applicable", summary: `Nothing answers on ports 80 or 443 of ${http.host}: no website.`, evidence: {} } };
    return { verdict: { status: "not-tested", summary: `No page could be retrieved (${describe(http.httpsChain)}; ${describe(http.httpChain)}).`, evidence: {} } };
  }
  return { requests };
}

function fromObservatory(test: string, result: string, summary: string, evidence: Record<string, unknown> = {}): Verdict {
  const modifier = modifierOf(result);
  return { status: statusFromModifier(modifier), summary, evidence: { result, ...evidence }, observatory: [{ test, result, modifier }] };
}

const REDIRECT_SUMMARIES: Record<string, string> = {
  "redirection-all-redirects-preloaded": "Every host on the way is on the HSTS preload list.",
  "redirection-to-https": "http:// redirects to https:// on the same host first.",
  "redirection-not-needed-no-http": "Nothing listens on port 80, so no redirect is needed.",
  "redirection-off-host-from-http": "The first redirect goes to HTTPS on another host, so this host's HSTS is never seen.",
  "redirection-not-to-https-on-initial-redirection": "The first redirect goes to another http:// URL before HTTPS.",
  "redirection-missing": "http:// does not redirect: the site is served without encryption.",
  "redirection-not-to-https": "The redirects end on an http:// URL.",
  "redirection-invalid-cert": "The redirect leads to HTTPS with an invalid certificate.",
};

export function httpRedirectVerdict(evidence: DomainEvidence): Verdict {
  const app = httpApplicability(evidence);
  if ("verdict" in app) return app.verdict;
  const chain = evidence.http.httpChain;
  const problem = chainProblem(chain);
  if (problem && problem !== "refused") return { status: "not-tested", summary: `The http:// request failed (${describe(chain)}).`, evidence: {} };
  const result = redirectionTest(app.requests);
  return fromObservatory("redirection", result, REDIRECT_SUMMARIES[result] ?? result, { route: app.requests.httpRoute.map((h) => `${h.status} ${h.url}`) });
}

export function hstsVerdict(evidence: DomainEvidence): Verdict {
  const app = httpApplicability(evidence);
  if ("verdict" in app) return app.verdict;
  const problem = chainProblem(evidence.http.httpsChain);
  if (problem && problem !== "refused") return { status: "not-tested", summary: `The https:// request failed (${describe(evidence.http.httpsChain)}).`, evidence: {} };
  const hsts = hstsTest(app.requests);
  const ev = { header: hsts.value, maxAge: hsts.maxAge, includeSubDomains: hsts.includeSubDomains, preload: hsts.preload, preloaded: hsts.preloaded };
  const summaries: Record<string, string> = {
    "hsts-preloaded": "The domain is on the HSTS preload list.",
    "hsts-implemented-max-age-at-least-six-months": `HSTS max-age ${hsts.maxAge} s (at least six months).`,
    "hsts-implemented-max-age-less-than-six-months": `HSTS max-age ${hsts.maxAge} s is under six months (15552000).`,
    "hsts-not-implemented": "No Strict-Transport-Security header.",
    "hsts-header-invalid": "The Strict-Transport-Security header is invalid (missing max-age or set twice).",
    "hsts-not-implemented-no-https": "No HTTPS, so no HSTS.",
    "hsts-invalid-cert": "The certificate is invalid, so browsers ignore HSTS.",
  };
  const verdict = fromObservatory("strict-transport-security", hsts.result, summaries[hsts.result] ?? hsts.result, ev);
  if (verdict.status === "pass" && hsts.maxAge === 0) return { ...verdict, status: "fail", summary: "max-age=0 switches HSTS off." };
  if (verdict.status === "pass" && (hsts.maxAge ?? 0) >= 31_536_000 && hsts.includeSubDomains && hsts.preload)
    return { ...verdict, summary: `${verdict.summary} Ready for the preload list (one year, includeSubDomains, preload).` };
  return verdict;
}

export function cspVerdict(evidence: DomainEvidence): Verdict {
  const app = httpApplicability(evidence);
  if ("verdict" in app) return app.verdict;
  const csp = cspTest(app.requests);
  const summaries: Record<string, string> = {
    "csp-implemented-with-no-unsafe-default-src-none": "CSP with default-src 'none' and nothing unsafe.",
    "csp-implemented-with-no-unsafe": "CSP without unsafe-inline or unsafe-eval.",
    "csp-implemented-with-unsafe-inline-in-style-src-only": "CSP is safe for scripts; style-src allows inline styles or broad sources.",
    "csp-implemented-with-insecure-scheme-in-passive-content-only": "CSP allows images or media over http:.",
    "csp-implemented-with-unsafe-eval": "CSP allows 'unsafe-eval'.",
    "csp-implemented-with-unsafe-inline": "CSP allows inline scripts, data: or overly broad script/object sources, so it does not stop XSS.",
    "csp-implemented-with-insecure-scheme": "CSP allows active content over http:.",
    "csp-implemented-but-duplicate-directives": "CSP is sound but repeats report-uri/report-to.",
    "csp-header-invalid": "The Content-Security-Policy cannot be parsed (e.g. a directive set twice).",
    "csp-not-implemented": "No Content-Security-Policy.",
    "csp-not-implemented-but-reporting-enabled": "Only Content-Security-Policy-Report-Only is set: nothing is enforced.",
  };
  return fromObservatory("content-security-policy", csp.result, summaries[csp.result] ?? csp.result, { header: app.requests.auto?.headers["content-security-policy"] ?? null, meta: app.requests.auto?.html?.metaCsp ?? [] });
}

export function framingVerdict(evidence: DomainEvidence): Verdict {
  const app = httpApplicability(evidence);
  if ("verdict" in app) return app.verdict;
  const result = xFrameOptionsTest(app.requests);
  const summaries: Record<string, string> = {
    "x-frame-options-implemented-via-csp": "CSP frame-ancestors controls who may frame the page.",
    "x-frame-options-sameorigin-or-deny": "X-Frame-Options is DENY or SAMEORIGIN.",
    "x-frame-options-allow-from-origin": "X-Frame-Options ALLOW-FROM (obsolete; browsers ignore it).",
    "x-frame-options-not-implemented": "Any site can frame this page (no X-Frame-Options, no frame-ancestors).",
    "x-frame-options-header-invalid": "X-Frame-Options has an invalid value, so browsers ignore it.",
  };
  return fromObservatory("x-frame-options", result, summaries[result] ?? result, { xFrameOptions: app.requests.auto?.headers["x-frame-options"] ?? null });
}

export function xContentTypeOptionsVerdict(evidence: DomainEvidence): Verdict {
  const app = httpApplicability(evidence);
  if ("verdict" in app) return app.verdict;
  const result = xContentTypeOptionsTest(app.requests);
  const value = app.requests.auto?.headers["x-content-type-options"] ?? null;
  const summary = result === "x-content-type-options-nosniff" ? "X-Content-Type-Options: nosniff." : result === "x-content-type-options-not-implemented" ? "No X-Content-Type-Options header." : `X-Content-Type-Options has an invalid value "${value}".`;
  return fromObservatory("x-content-type-options", result, summary, { header: value });
}

export function referrerPolicyVerdict(evidence: DomainEvidence): Verdict {
  const app = httpApplicability(evidence);
  if ("verdict" in app) return app.verdict;
  const result = referrerPolicyTest(app.requests);
  const summaries: Record<string, string> = {
    "referrer-policy-private": "Referrer-Policy keeps full URLs private.",
    "referrer-policy-not-implemented": "No Referrer-Policy; browsers default to strict-origin-when-cross-origin.",
    "referrer-policy-unsafe": "Referrer-Policy leaks full URLs or origins to other sites.",
    "referrer-policy-header-invalid": "Referrer-Policy has no recognized value.",
  };
  return fromObservatory("referrer-policy", result, summaries[result] ?? result, { header: app.requests.auto?.headers["referrer-policy"] ?? null, meta: app.requests.auto?.html?.metaReferrer ?? [] });
}

export function cookiesVerdict(evidence: DomainEvidence): Verdict {
  const app = httpApplicability(evidence);
  if ("verdict" in app) return app.verdict;
  const { result, cookies } = cookiesTest(app.requests);
  const summaries: Record<string, string> = {
    "cookies-secure-with-httponly-sessions-and-samesite": "All cookies are Secure, session cookies HttpOnly, all with SameSite.",
    "cookies-secure-with-httponly-sessions": "All cookies are Secure and session cookies HttpOnly (SameSite missing on some).",
    "cookies-not-found": "No cookies are set.",
    "cookies-without-secure-flag-but-protected-by-hsts": "Some cookies lack Secure (HSTS limits the risk).",
    "cookies-session-without-secure-flag-but-protected-by-hsts": "A session cookie lacks Secure (HSTS limits the risk).",
    "cookies-without-secure-flag": "Cookies are set without Secure and can leak over HTTP.",
    "cookies-samesite-flag-invalid": "A cookie has an invalid SameSite (or SameSite=None without Secure).",
    "cookies-anticsrf-without-samesite-flag": "An anti-CSRF cookie has no SameSite.",
    "cookies-session-without-httponly-flag": "A session cookie lacks HttpOnly: scripts (and XSS) can read it.",
    "cookies-session-without-secure-flag": "A session cookie lacks Secure and can leak over HTTP.",
  };
  return fromObservatory("cookies", result, summaries[result] ?? result, {
    cookies: cookies.map((c) => ({ name: c.name, secure: c.secure, httpOnly: c.httpOnly, sameSite: c.sameSite })),
  });
}

export function corsVerdict(evidence: DomainEvidence): Verdict {
  const app = httpApplicability(evidence);
  if ("verdict" in app) return app.verdict;
  if (!app.requests.cors && evidence.http.cors?.outcome === "timeout") return { status: "not-tested", summary: "The CORS preflight timed out.", evidence: {} };
  const result = corsTest(app.requests);
  const summaries: Record<string, string> = {
    "cross-origin-resource-sharing-not-implemented": "No CORS headers: other sites cannot read responses.",
    "cross-origin-resource-sharing-implemented-with-public-access": "Access-Control-Allow-Origin: * (public, without credentials).",
    "cross-origin-resource-sharing-implemented-with-restricted-access": "CORS is limited to specific origins.",
    "cross-origin-resource-sharing-implemented-with-universal-access": "Any Origin is reflected with credentials allowed: every website can read your users' data.",
  };
  const headers = app.requests.cors?.response.headers ?? {};
  return fromObservatory("cross-origin-resource-sharing", result, summaries[result] ?? result, {
    sentOrigin: app.requests.cors?.origin ?? null,
    allowOrigin: headers["access-control-allow-origin"] ?? null,
    allowCredentials: headers["access-control-allow-credentials"] ?? null,
  });
}

/** Bonus-only headers: invalid ones warn, none at all is info (a deliberate departure from "0 = pass"). */
export function crossOriginIsolationVerdict(evidence: DomainEvidence): Verdict {
  const app = httpApplicability(evidence);
  if ("verdict" in app) return app.verdict;
  const results = [
    { test: "cross-origin-resource-policy", result: corpTest(app.requests) },
    { test: "cross-origin-opener-policy", result: coopTest(app.requests) },
    { test: "cross-origin-embedder-policy", result: coepTest(app.requests) },
  ];
  const observatory = results.map((r) => ({ ...r, modifier: modifierOf(r.result) }));
  const headers = app.requests.auto?.headers ?? {};
  const ev = { corp: headers["cross-origin-resource-policy"] ?? null, coop: headers["cross-origin-opener-policy"] ?? null, coep: headers["cross-origin-embedder-policy"] ?? null };
  const invalid = results.filter((r) => r.result.endsWith("header-invalid"));
  if (invalid.length > 0) return { status: "warn", summary: `Invalid ${invalid.map((r) => r.test).join(", ")} header: browsers ignore it.`, evidence: ev, observatory };
  if (results.every((r) => r.result.endsWith("not-implemented"))) return { status: "info", summary: "No COOP, COEP or CORP headers (optional hardening).", evidence: ev, observatory };
  const bonus = observatory.filter((r) => r.modifier > 0).map((r) => r.test);
  return { status: "pass", summary: bonus.length ? `Isolation headers set: ${bonus.join(", ")}.` : "Isolation headers are set (to permissive values).", evidence: ev, observatory };
}

export function sriVerdict(evidence: DomainEvidence): Verdict {
  const app = httpApplicability(evidence);
  if ("verdict" in app) return app.verdict;
  const { result, external } = sriTest(app.requests);
  const summaries: Record<string, string> = {
    "sri-implemented-and-all-scripts-loaded-securely": "Scripts use integrity hashes and load over HTTPS.",
    "sri-implemented-and-external-scripts-loaded-securely": "External scripts use integrity hashes and HTTPS.",
    "sri-not-implemented-response-not-html": "The page is not HTML.",
    "sri-not-implemented-but-no-scripts-loaded": "The page loads no scripts.",
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": "All scripts come from the site itself.",
    "sri-not-implemented-but-external-scripts-loaded-securely": "External scripts load over HTTPS but without integrity hashes.",
    "sri-implemented-but-external-scripts-not-loaded-securely": "External scripts have integrity hashes but load over http:.",
    "sri-not-implemented-and-external-scripts-not-loaded-securely": "External scripts load over http: (or protocol-relative) without integrity: anyone on the path can replace them.",
  };
  return fromObservatory("subresource-integrity", result, summaries[result] ?? result, { externalScripts: external.slice(0, 20) });
}
