import type { ObservatoryRequests } from "./requests";
import { header } from "./requests";

/**
 * Content-Security-Policy grading with the MDN HTTP Observatory's rules (tests/csp.js and cspParser.js, v6):
 * same result codes, same order of precedence, written from its published behaviour.
 */

export type CspResult =
  | "csp-implemented-with-no-unsafe-default-src-none"
  | "csp-implemented-with-no-unsafe"
  | "csp-implemented-with-unsafe-inline-in-style-src-only"
  | "csp-implemented-with-insecure-scheme-in-passive-content-only"
  | "csp-implemented-with-unsafe-eval"
  | "csp-implemented-with-unsafe-inline"
  | "csp-implemented-with-insecure-scheme"
  | "csp-implemented-but-duplicate-directives"
  | "csp-header-invalid"
  | "csp-not-implemented"
  | "csp-not-implemented-but-reporting-enabled";

export type CspMap = Map<string, Set<string>>;

const DUPLICATES_ALLOWED = new Set(["report-uri", "report-to"]);
const NOT_IN_META = ["frame-ancestors", "report-uri", "sandbox"];
const SHORTEST_POLICY = "img-src".length - 1;
const BROAD = new Set(["ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"]);
const INLINE = new Set(["'unsafe-inline'", "data:"]);
const BROAD_OR_INLINE = new Set([...BROAD, ...INLINE]);
const PASSIVE = ["img-src", "media-src"];
const NONCE_OR_HASH = ["'sha256-", "'sha384-", "'sha512-", "'nonce-"];

export class CspParseError extends Error {}

function splitPolicies(values: string[]): string[] {
  return values.flatMap((v) => v.split(",").map((s) => s.trim()));
}

/**
 * Parses one or more policies. With several policies, a source counts only if every policy that sets the
 * directive allows it (a later source survives when an earlier policy has a prefix of it); an emptied
 * directive becomes 'none'. Duplicate directives in one policy are invalid, except report-uri/report-to.
 */
export function parseCsp(policies: string[]): { map: CspMap; duplicateWarnings: string[] } {
  const clean = policies.map((p) => p.replace(/[\r\n]/g, "").trim());
  const map: CspMap = new Map();
  const duplicateWarnings = new Set<string>();
  if (clean.length === 0) return { map, duplicateWarnings: [] };
  for (const policy of clean) if (!policy || policy.length < SHORTEST_POLICY) throw new CspParseError(`Invalid policy: ${policy}`);
  clean.forEach((policy, index) => {
    const seen = new Set<string>();
    for (const entry of policy.split(";")) {
      const [rawDirective, ...rawSources] = entry.trim().split(/\s+/);
      if (!rawDirective) continue;
      const directive = rawDirective.toLowerCase();
      if (seen.has(directive)) {
        if (DUPLICATES_ALLOWED.has(directive)) duplicateWarnings.add(directive);
        else throw new CspParseError(`Duplicate directive ${directive}`);
      }
      seen.add(directive);
      let sources = rawSources.map((s) => s.trim().toLocaleLowerCase());
      if (sources.length === 0 && directive.endsWith("-src")) sources = ["'none'"];
      // Within one policy, a source that extends a shorter one already listed adds nothing.
      sources = [...new Set(sources)].sort();
      sources = sources.filter((s, i) => !sources.slice(0, i).some((prev) => s !== prev && s.startsWith(prev)));
      const earlier = map.get(directive);
      if (index === 0 || !earlier) {
        map.set(directive, new Set(sources.length ? sources : ["'none'"]));
      } else {
        const kept = sources.filter((s) => [...earlier].some((prev) => prev === s || pathPrefixMatch(prev, s)));
        map.set(directive, new Set(kept.length ? kept : ["'none'"]));
      }
    }
  });
  return { map, duplicateWarnings: [...duplicateWarnings] };
}

/** Whether source b lies within source a, compared path segment by path segment (a trailing "/" matches below it). */
function pathPrefixMatch(a: string, b: string): boolean {
  if (a.length === 0) return true;
  if (a === "/" && b.length === 0) return true;
  const exact = !a.endsWith("/");
  const pa = a.split("/");
  const pb = b.split("/");
  if (pa.length > pb.length || (exact && pa.length !== pb.length)) return false;
  if (!exact) pa.pop();
  return pa.every((piece, i) => safeDecode(piece) === safeDecode(pb[i] ?? ""));
}

function safeDecode(piece: string): string {
  try {
    return decodeURIComponent(piece);
  } catch {
    return piece;
  }
}

export interface CspOutcome {
  result: CspResult;
  /** Directives of the effective policy (header plus meta), or null when there is none. */
  data: Record<string, string[]> | null;
  http: boolean;
  meta: boolean;
}

export function cspTest(requests: ObservatoryRequests): CspOutcome {
  const response = requests.auto;
  if (!response || !requests.sessionUrl) return { result: "csp-not-implemented", data: null, http: false, meta: false };
  const headerValue = header(response, "content-security-policy");
  const httpPolicies = splitPolicies(headerValue !== null ? [headerValue] : []);
  const metaPolicies = splitPolicies(response.html?.metaCsp ?? []);
  let csp: CspMap;
  let duplicates: string[];
  try {
    ({ map: csp, duplicateWarnings: duplicates } = parseCsp([...httpPolicies, ...metaPolicies]));
  } catch {
    return { result: "csp-header-invalid", data: null, http: httpPolicies.length > 0, meta: metaPolicies.length > 0 };
  }
  let headerOnly: CspMap;
  try {
    headerOnly = parseCsp(httpPolicies).map;
  } catch {
    headerOnly = new Map();
  }
  let metaOnly: CspMap;
  try {
    metaOnly = parseCsp(metaPolicies).map;
    for (const d of NOT_IN_META) metaOnly.delete(d);
  } catch {
    metaOnly = new Map();
  }
  if (headerOnly.size + metaOnly.size === 0) {
    const reportOnly = header(response, "content-security-policy-report-only");
    return { result: reportOnly ? "csp-not-implemented-but-reporting-enabled" : "csp-not-implemented", data: null, http: false, meta: false };
  }
  const https = requests.sessionUrl.startsWith("https:");
  const get = (d: string) => csp.get(d);
  const objectSrc = new Set(get("object-src") ?? get("default-src") ?? ["*"]);
  const scriptSrc = new Set(get("script-src") ?? get("default-src") ?? ["*"]);
  const styleSrc = new Set(get("style-src") ?? get("default-src") ?? ["*"]);
  for (const list of [scriptSrc, styleSrc]) {
    if ([...list].some((s) => NONCE_OR_HASH.some((p) => s.startsWith(p)))) list.delete("'unsafe-inline'");
  }
  let result: CspResult | null = null;
  if ([...scriptSrc].some((s) => NONCE_OR_HASH.some((p) => s.startsWith(p))) && scriptSrc.has("'strict-dynamic'")) {
    // With strict-dynamic, browsers ignore host/scheme sources, 'self' and 'unsafe-inline'.
    for (const s of [...scriptSrc]) if ([...BROAD].some((b) => s.startsWith(b)) || s === "'self'" || s === "'unsafe-inline'") scriptSrc.delete(s);
  } else if (scriptSrc.has("'strict-dynamic'")) {
    result = "csp-header-invalid";
  }
  const activeSources = [
    ...[...csp.entries()].filter(([d]) => !PASSIVE.includes(d) && d !== "script-src").flatMap(([, s]) => [...s]),
    ...scriptSrc,
  ];
  const passiveSources = PASSIVE.flatMap((d) => [...(get(d) ?? get("default-src") ?? [])]);
  const insecure = (s: string) => s.startsWith("http:") || s.startsWith("ftp:");
  if ([...scriptSrc].some((s) => BROAD_OR_INLINE.has(s)) || [...objectSrc].some((s) => BROAD.has(s))) result ??= "csp-implemented-with-unsafe-inline";
  if (https && activeSources.some(insecure)) result ??= "csp-implemented-with-insecure-scheme";
  if (scriptSrc.has("'unsafe-eval'") || styleSrc.has("'unsafe-eval'")) result ??= "csp-implemented-with-unsafe-eval";
  if (https && passiveSources.some(insecure)) result ??= "csp-implemented-with-insecure-scheme-in-passive-content-only";
  if ([...styleSrc].some((s) => BROAD_OR_INLINE.has(s))) result ??= "csp-implemented-with-unsafe-inline-in-style-src-only";
  const defaultSrc = get("default-src");
  if (defaultSrc?.has("'none'") && defaultSrc.size === 1) result ??= "csp-implemented-with-no-unsafe-default-src-none";
  result ??= "csp-implemented-with-no-unsafe";
  const passing: CspResult[] = [
    "csp-implemented-with-no-unsafe",
    "csp-implemented-with-no-unsafe-default-src-none",
    "csp-implemented-with-unsafe-inline-in-style-src-only",
    "csp-implemented-with-insecure-scheme-in-passive-content-only",
  ];
  if (passing.includes(result) && duplicates.length > 0) result = "csp-implemented-but-duplicate-directives";
  const data: Record<string, string[]> = {};
  for (const [k, v] of csp) data[k] = [...v].sort();
  // Like the Observatory, data keeps a frame-ancestors from a meta tag too (browsers ignore it there).
  return { result, data, http: httpPolicies.length > 0, meta: metaPolicies.length > 0 };
}
