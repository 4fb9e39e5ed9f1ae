import { cspTest } from "./csp";
import type { ObservatoryRequests } from "./requests";
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
} from "./tests";

/** The Observatory's score modifiers (src/grader/charts.js SCORE_TABLE, algorithm v6). */
export const OBSERVATORY_MODIFIERS: Record<string, number> = {
  "csp-implemented-with-no-unsafe-default-src-none": 10,
  "csp-implemented-with-no-unsafe": 5,
  "csp-implemented-with-unsafe-inline-in-style-src-only": 0,
  "csp-implemented-but-duplicate-directives": 0,
  "csp-implemented-with-insecure-scheme-in-passive-content-only": -10,
  "csp-implemented-with-unsafe-eval": -10,
  "csp-implemented-with-unsafe-inline": -20,
  "csp-implemented-with-insecure-scheme": -20,
  "csp-header-invalid": -25,
  "csp-not-implemented": -25,
  "csp-not-implemented-but-reporting-enabled": -25,
  "cookies-secure-with-httponly-sessions-and-samesite": 5,
  "cookies-secure-with-httponly-sessions": 0,
  "cookies-not-found": 0,
  "cookies-without-secure-flag-but-protected-by-hsts": -5,
  "cookies-session-without-secure-flag-but-protected-by-hsts": -10,
  "cookies-without-secure-flag": -20,
  "cookies-samesite-flag-invalid": -20,
  "cookies-anticsrf-without-samesite-flag": -20,
  "cookies-session-without-httponly-flag": -30,
  "cookies-session-without-secure-flag": -40,
  "coep-implemented-with-require-corp": 10,
  "coep-implemented-with-credentialless": 10,
  "coep-implemented-with-unsafe-none": 0,
  "coep-not-implemented": 0,
  "coep-header-invalid": -5,
  "coop-implemented-with-same-origin": 10,
  "coop-implemented-with-same-origin-allow-popups": 10,
  "coop-implemented-with-noopener-allow-popups": 10,
  "coop-implemented-with-unsafe-none": 0,
  "coop-not-implemented": 0,
  "coop-header-invalid": -5,
  "cross-origin-resource-sharing-not-implemented": 0,
  "cross-origin-resource-sharing-implemented-with-public-access": 0,
  "cross-origin-resource-sharing-implemented-with-restricted-access": 0,
  "cross-origin-resource-sharing-implemented-with-universal-access": -50,
  "redirection-all-redirects-preloaded": 0,
  "redirection-to-https": 0,
  "redirection-not-needed-no-http": 0,
  "redirection-off-host-from-http": -5,
  "redirection-not-to-https-on-initial-redirection": -10,
  "redirection-missing": -20,
  "redirection-not-to-https": -20,
  "redirection-invalid-cert": -20,
  "referrer-policy-private": 5,
  "referrer-policy-not-implemented": 0,
  "referrer-policy-unsafe": -5,
  "referrer-policy-header-invalid": -5,
  "hsts-preloaded": 5,
  "hsts-implemented-max-age-at-least-six-months": 0,
  "hsts-implemented-max-age-less-than-six-months": -10,
  "hsts-not-implemented": -20,
  "hsts-header-invalid": -20,
  "hsts-not-implemented-no-https": -20,
  "hsts-invalid-cert": -20,
  "sri-implemented-and-all-scripts-loaded-securely": 5,
  "sri-implemented-and-external-scripts-loaded-securely": 5,
  "sri-not-implemented-response-not-html": 0,
  "sri-not-implemented-but-no-scripts-loaded": 0,
  "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": 0,
  "sri-not-implemented-but-external-scripts-loaded-securely": -5,
  "sri-implemented-but-external-scripts-not-loaded-securely": -20,
  "sri-not-implemented-and-external-scripts-not-loaded-securely": -50,
  "html-not-parseable": -20,
  "x-content-type-options-nosniff": 0,
  "x-content-type-options-not-implemented": -5,
  "x-content-type-options-header-invalid": -5,
  "x-frame-options-implemented-via-csp": 5,
  "x-frame-options-sameorigin-or-deny": 5,
  "x-frame-options-allow-from-origin": 0,
  "x-frame-options-not-implemented": -20,
  "x-frame-options-header-invalid": -20,
  "cross-origin-resource-policy-implemented-with-same-origin": 10,
  "cross-origin-resource-policy-implemented-with-same-site": 10,
  "cross-origin-resource-policy-implemented-with-cross-origin": 0,
  "cross-origin-resource-policy-not-implemented": 0,
  "cross-origin-resource-policy-header-invalid": -5,
};

export const OBSERVATORY_ALGORITHM_VERSION = 6;

export function modifierOf(result: string): number {
  const modifier = OBSERVATORY_MODIFIERS[result];
  if (modifier === undefined) throw new Error(`Unknown Observatory result ${result}`);
  return modifier;
}

/** The Observatory's 12 test results for a site. */
export function observatoryResults(r: ObservatoryRequests): Record<string, string> {
  return {
    "content-security-policy": cspTest(r).result,
    cookies: cookiesTest(r).result,
    "cross-origin-embedder-policy": coepTest(r),
    "cross-origin-opener-policy": coopTest(r),
    "cross-origin-resource-sharing": corsTest(r),
    "cross-origin-resource-policy": corpTest(r),
    redirection: redirectionTest(r),
    "referrer-policy": referrerPolicyTest(r),
    "strict-transport-security": hstsTest(r).result,
    "subresource-integrity": sriTest(r).result,
    "x-content-type-options": xContentTypeOptionsTest(r),
    "x-frame-options": xFrameOptionsTest(r),
  };
}

const GRADE_CHART: [number, string][] = [
  [100, "A+"], [95, "A"], [90, "A"], [85, "A-"], [80, "B+"], [75, "B"], [70, "B"], [65, "B-"], [60, "C+"], [55, "C"], [50, "C"],
  [45, "C-"], [40, "D+"], [35, "D"], [30, "D"], [25, "D-"], [20, "F"], [15, "F"], [10, "F"], [5, "F"], [0, "F"],
];

export function observatoryGrade(score: number): { score: number; grade: string } {
  const clamped = Math.max(score, 0);
  const key = Math.min(clamped - (clamped % 5), 100);
  return { score: clamped, grade: GRADE_CHART.find(([k]) => k === key)?.[1] ?? "F" };
}

/**
 * Score as the Observatory computes it: 100 plus every modifier, but bonuses only count while the
 * penalties alone leave at least 90. Null when it would refuse to grade (no response, or an unexpected status).
 */
export function observatoryScore(r: ObservatoryRequests): { score: number; grade: string; results: Record<string, string> } | null {
  const status = r.auto?.status ?? 0;
  if (!r.auto || !((status >= 200 && status < 400) || status === 401 || status === 403)) return null;
  const results = observatoryResults(r);
  let withExtraCredit = 100;
  let uncurved = 100;
  for (const result of Object.values(results)) {
    const modifier = modifierOf(result);
    withExtraCredit += modifier;
    if (modifier < 0) uncurved += modifier;
  }
  return { ...observatoryGrade(uncurved >= 90 ? withExtraCredit : uncurved), results };
}
