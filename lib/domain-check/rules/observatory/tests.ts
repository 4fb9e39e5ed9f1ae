import { getDomain } from "tldts";
import { cspTest } from "./csp";
import type { ObservatoryRequests } from "./requests";
import { header } from "./requests";
import { structuredFieldToken } from "./structured-field";

/**
 * The MDN HTTP Observatory's header tests (algorithm v6), one function per test, each returning the
 * Observatory's result code. Modifiers live in score.ts.
 */

export function redirectionTest(r: ObservatoryRequests): string {
  if (!r.http) return "redirection-not-needed-no-http";
  if (!r.http.verified) return "redirection-invalid-cert";
  const route = r.httpRoute;
  if (route.every((hop) => r.preloaded(new URL(hop.url).hostname))) return "redirection-all-redirects-preloaded";
  if (route.length === 1) return "redirection-missing";
  const last = route.at(-1);
  if (!last || new URL(last.url).protocol !== "https:") return "redirection-not-to-https";
  const first = new URL(route[0]!.url);
  const second = new URL(route[1]!.url);
  if (second.protocol === "http:") return "redirection-not-to-https-on-initial-redirection";
  if (first.protocol === "http:" && second.protocol === "https:" && first.hostname !== second.hostname) return "redirection-off-host-from-http";
  return "redirection-to-https";
}

export const SIX_MONTHS = 15_552_000;

export interface HstsOutcome {
  result: string;
  maxAge: number | null;
  includeSubDomains: boolean;
  preload: boolean;
  preloaded: boolean;
  value: string | null;
}

export function hstsTest(r: ObservatoryRequests): HstsOutcome {
  const out: HstsOutcome = { result: "hsts-not-implemented", maxAge: null, includeSubDomains: false, preload: false, preloaded: false, value: null };
  const response = r.https;
  if (!response) out.result = "hsts-not-implemented-no-https";
  else if (!response.verified) out.result = "hsts-invalid-cert";
  else {
    const value = header(response, "strict-transport-security");
    if (value !== null) {
      out.value = value.slice(0, 1024);
      // Node joins a repeated header with ", ": a comma means the header was set twice.
      if (out.value.includes(",")) out.result = "hsts-header-invalid";
      else {
        for (const parameter of out.value.split(";").map((p) => p.trim().toLowerCase())) {
          if (parameter.startsWith("max-age=")) out.maxAge = Number.parseInt(parameter.slice(8, 128), 10);
          else if (parameter === "includesubdomains") out.includeSubDomains = true;
          else if (parameter === "preload") out.preload = true;
        }
        if (out.maxAge === null || Number.isNaN(out.maxAge)) out.result = "hsts-header-invalid";
        else out.result = out.maxAge < SIX_MONTHS ? "hsts-implemented-max-age-less-than-six-months" : "hsts-implemented-max-age-at-least-six-months";
      }
    }
  }
  if (response) {
    const preloaded = r.preloaded(r.host);
    if (preloaded) {
      out.result = "hsts-preloaded";
      out.includeSubDomains = preloaded.includeSubDomains;
      out.preloaded = true;
    }
  }
  return out;
}

export function hstsPasses(result: string): boolean {
  return result === "hsts-implemented-max-age-at-least-six-months" || result === "hsts-preloaded";
}

export function xFrameOptionsTest(r: ObservatoryRequests): string {
  if (!r.auto) return "x-frame-options-not-implemented";
  const value = header(r.auto, "x-frame-options");
  let result = "x-frame-options-not-implemented";
  if (value) {
    const xfo = value.slice(0, 1024).trim().toLowerCase();
    if (xfo === "deny" || xfo === "sameorigin") result = "x-frame-options-sameorigin-or-deny";
    else if (xfo.startsWith("allow-from")) result = "x-frame-options-allow-from-origin";
    else result = "x-frame-options-header-invalid";
  }
  const csp = cspTest(r);
  if (csp.data && csp.data["frame-ancestors"]) result = "x-frame-options-implemented-via-csp";
  return result;
}

export function xContentTypeOptionsTest(r: ObservatoryRequests): string {
  if (!r.auto) return "x-content-type-options-not-implemented";
  const value = header(r.auto, "x-content-type-options");
  if (!value) return "x-content-type-options-not-implemented";
  return value.slice(0, 256).trim().toLowerCase() === "nosniff" ? "x-content-type-options-nosniff" : "x-content-type-options-header-invalid";
}

const REFERRER_GOOD = ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"];
const REFERRER_BAD = ["origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"];

export function referrerPolicyTest(r: ObservatoryRequests): string {
  if (!r.auto) return "referrer-policy-not-implemented";
  const headerValue = header(r.auto, "referrer-policy");
  // Like the Observatory, only the last <meta name="referrer"> counts, and it comes after the header.
  const meta = r.auto.html?.metaReferrer.slice(-1) ?? [];
  const values = [...(headerValue !== null ? [headerValue] : []), ...meta];
  if (values.length === 0) return "referrer-policy-not-implemented";
  const valid = new Set([...REFERRER_GOOD, ...REFERRER_BAD]);
  const policy = values.join(", ").split(",").map((v) => v.toLowerCase().trim()).filter((v) => valid.has(v)).at(-1) ?? "";
  if (REFERRER_GOOD.includes(policy)) return "referrer-policy-private";
  if (REFERRER_BAD.includes(policy)) return "referrer-policy-unsafe";
  return "referrer-policy-header-invalid";
}

export interface ParsedCookie {
  name: string;
  value: string;
  domain: string | null;
  path: string | null;
  secure: boolean;
  httpOnly: boolean;
  /** lowercase strict/lax/none, "unset" for an unknown value, null when absent (tough-cookie's model). */
  sameSite: string | null;
}

export function parseSetCookie(raw: string): ParsedCookie | null {
  const [pair, ...attributes] = raw.split(";");
  const eq = pair?.indexOf("=") ?? -1;
  const name = eq >= 0 ? pair!.slice(0, eq).trim() : "";
  if (!name) return null;
  const cookie: ParsedCookie = { name, value: pair!.slice(eq + 1).trim(), domain: null, path: null, secure: false, httpOnly: false, sameSite: null };
  for (const attribute of attributes) {
    const i = attribute.indexOf("=");
    const key = (i >= 0 ? attribute.slice(0, i) : attribute).trim().toLowerCase();
    const value = i >= 0 ? attribute.slice(i + 1).trim() : "";
    if (key === "secure") cookie.secure = true;
    else if (key === "httponly") cookie.httpOnly = true;
    else if (key === "domain") cookie.domain = value.replace(/^\./, "").toLowerCase() || null;
    else if (key === "path") cookie.path = value || null;
    else if (key === "samesite") cookie.sameSite = ["strict", "lax", "none"].includes(value.toLowerCase()) ? value.toLowerCase() : "unset";
  }
  return cookie;
}

function hasInvalidSameSite(raw: string): boolean {
  for (const part of raw.trim().split(";")) {
    const [key, value] = part.trim().split("=");
    if (key?.trim().toLowerCase() === "samesite" && (!value || !["lax", "strict", "none"].includes(value.trim().toLowerCase()))) return true;
  }
  return false;
}

const COOKIE_ORDER = [
  "cookies-without-secure-flag-but-protected-by-hsts",
  "cookies-without-secure-flag",
  "cookies-session-without-secure-flag-but-protected-by-hsts",
  "cookies-samesite-flag-invalid",
  "cookies-anticsrf-without-samesite-flag",
  "cookies-session-without-httponly-flag",
  "cookies-session-without-secure-flag",
];

function worse(next: string, current: string | null): string {
  if (!current) return next;
  return COOKIE_ORDER.indexOf(next) > COOKIE_ORDER.indexOf(current) ? next : current;
}

/** The cookie jar after the page and robots.txt: a later cookie with the same name, domain and path replaces an earlier one. */
export function cookieJar(setCookies: string[]): ParsedCookie[] {
  const jar = new Map<string, ParsedCookie>();
  for (const raw of setCookies) {
    const cookie = parseSetCookie(raw);
    if (cookie) jar.set(`${cookie.name}\u0000${cookie.domain ?? ""}\u0000${cookie.path ?? ""}`, cookie);
  }
  return [...jar.values()].filter((c) => c.name !== "heroku-session-affinity");
}

export function cookiesTest(r: ObservatoryRequests): { result: string; cookies: ParsedCookie[] } {
  const hsts = hstsPasses(hstsTest(r).result);
  let result: string | null = null;
  if (r.auto) for (const raw of r.auto.setCookies) if (hasInvalidSameSite(raw)) result = worse("cookies-samesite-flag-invalid", result);
  const cookies = cookieJar(r.setCookies);
  if (cookies.length === 0) return { result: "cookies-not-found", cookies };
  let missingSameSite = false;
  for (const cookie of cookies) {
    const lower = cookie.name.toLowerCase();
    const session = lower.includes("login") || lower.includes("sess");
    const antiCsrf = lower.includes("csrf");
    if (!cookie.secure && cookie.sameSite === "none") result = worse("cookies-samesite-flag-invalid", result);
    if (!cookie.secure) result = worse(hsts ? "cookies-without-secure-flag-but-protected-by-hsts" : "cookies-without-secure-flag", result);
    if (antiCsrf && !cookie.sameSite) result = worse("cookies-anticsrf-without-samesite-flag", result);
    if (session && !cookie.secure) result = worse(hsts ? "cookies-session-without-secure-flag-but-protected-by-hsts" : "cookies-session-without-secure-flag", result);
    if (session && !cookie.httpOnly) result = worse("cookies-session-without-httponly-flag", result);
    if (!cookie.sameSite) missingSameSite = true;
  }
  return { result: result ?? (missingSameSite ? "cookies-secure-with-httponly-sessions" : "cookies-secure-with-httponly-sessions-and-samesite"), cookies };
}

export function corsTest(r: ObservatoryRequests): string {
  const cors = r.cors;
  const acao = cors ? header(cors.response, "access-control-allow-origin") : null;
  if (!cors || !acao) return "cross-origin-resource-sharing-not-implemented";
  if (acao.slice(0, 256).trim().toLowerCase() === "*") return "cross-origin-resource-sharing-implemented-with-public-access";
  const credentials = header(cors.response, "access-control-allow-credentials");
  if (cors.origin && acao === cors.origin && credentials?.toLowerCase().trim() === "true") return "cross-origin-resource-sharing-implemented-with-universal-access";
  return "cross-origin-resource-sharing-implemented-with-restricted-access";
}

export function corpTest(r: ObservatoryRequests): string {
  const value = r.auto ? header(r.auto, "cross-origin-resource-policy") : null;
  if (!value) return "cross-origin-resource-policy-not-implemented";
  const v = value.slice(0, 256).trim().toLowerCase();
  if (v === "same-site") return "cross-origin-resource-policy-implemented-with-same-site";
  if (v === "same-origin") return "cross-origin-resource-policy-implemented-with-same-origin";
  if (v === "cross-origin") return "cross-origin-resource-policy-implemented-with-cross-origin";
  return "cross-origin-resource-policy-header-invalid";
}

export function coopTest(r: ObservatoryRequests): string {
  const value = r.auto ? header(r.auto, "cross-origin-opener-policy") : null;
  if (!value) return "coop-not-implemented";
  const token = structuredFieldToken(value.slice(0, 1024).trim());
  if (token === "same-origin") return "coop-implemented-with-same-origin";
  if (token === "same-origin-allow-popups") return "coop-implemented-with-same-origin-allow-popups";
  if (token === "noopener-allow-popups") return "coop-implemented-with-noopener-allow-popups";
  if (token === "unsafe-none") return "coop-implemented-with-unsafe-none";
  return "coop-header-invalid";
}

export function coepTest(r: ObservatoryRequests): string {
  const value = r.auto ? header(r.auto, "cross-origin-embedder-policy") : null;
  if (!value) return "coep-not-implemented";
  const token = structuredFieldToken(value.slice(0, 1024).trim());
  if (token === "require-corp") return "coep-implemented-with-require-corp";
  if (token === "credentialless") return "coep-implemented-with-credentialless";
  if (token === "unsafe-none") return "coep-implemented-with-unsafe-none";
  return "coep-header-invalid";
}

const SRI_ORDER = [
  "sri-implemented-and-all-scripts-loaded-securely",
  "sri-implemented-and-external-scripts-loaded-securely",
  "sri-implemented-but-external-scripts-not-loaded-securely",
  "sri-not-implemented-but-external-scripts-loaded-securely",
  "sri-not-implemented-and-external-scripts-not-loaded-securely",
  "sri-not-implemented-response-not-html",
];
const HTML_TYPES = new Set(["text/html", "application/xhtml+xml"]);

export function sriTest(r: ObservatoryRequests): { result: string; external: { src: string; integrity: string | null }[] } {
  const external: { src: string; integrity: string | null }[] = [];
  const response = r.auto;
  if (!response) return { result: "sri-not-implemented-but-no-scripts-loaded", external };
  const mime = (header(response, "content-type") ?? "").split(";")[0];
  if (mime && !HTML_TYPES.has(mime)) return { result: "sri-not-implemented-response-not-html", external };
  const scripts = response.html?.scripts ?? [];
  const siteDomain = getDomain(r.host);
  let result: string | null = null;
  let foreign = false;
  const worseSri = (next: string) => {
    result = !result || SRI_ORDER.indexOf(next) > SRI_ORDER.indexOf(result) ? next : result;
  };
  for (const script of scripts) {
    if (!script.src) continue;
    const relativeProtocol = /^(\/\/)[^/]/.test(script.src);
    const fullUrl = /^https?:\/\//.test(script.src);
    const relativeOrigin = !relativeProtocol && !fullUrl;
    const sameSite = relativeProtocol || relativeOrigin || getDomain(script.src) === siteDomain;
    const secureOrigin = relativeOrigin || (sameSite && !relativeProtocol);
    if (!secureOrigin) foreign = true;
    let scheme: string | null = null;
    if (fullUrl) {
      try {
        scheme = new URL(script.src).protocol;
      } catch {
        scheme = null;
      }
    }
    const secureScheme = scheme === "https:" || (relativeOrigin && (r.sessionUrl ?? "").startsWith("https:"));
    const integrity = script.integrity;
    if (!secureOrigin) {
      external.push({ src: script.src.slice(0, 512), integrity });
      if (integrity && !secureScheme) worseSri("sri-implemented-but-external-scripts-not-loaded-securely");
      else if (!integrity && secureScheme) worseSri("sri-not-implemented-but-external-scripts-loaded-securely");
      else if (!integrity && !secureScheme) worseSri("sri-not-implemented-and-external-scripts-not-loaded-securely");
    } else if (integrity && secureScheme && !result) {
      result = "sri-implemented-and-all-scripts-loaded-securely";
    }
  }
  if (scripts.length === 0) return { result: "sri-not-implemented-but-no-scripts-loaded", external };
  return { result: result ?? (foreign ? "sri-implemented-and-external-scripts-loaded-securely" : "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"), external };
}
