import { type ChainOptions, fetchChain, httpRequest } from "../net/http-client";
import { timeoutSignal } from "../net/timeout-signal";
import type { HttpEvidence, OtherEvidence, RedirectChain } from "../rules/evidence";

/**
 * HTTP evidence as the MDN HTTP Observatory gathers it: the http:// and https:// chains of the homepage,
 * robots.txt (for cookies) and a CORS preflight; plus security.txt and the www host.
 */

export const CORS_ORIGIN = "https://domain-check.ramparts.invalid";

export interface HttpProbeOptions {
  request: Omit<ChainOptions, "maxBodyBytes" | "timeoutMs">;
  requestTimeoutMs: number;
  chainTimeoutMs: number;
  hstsPreload: Record<string, { includeSubDomains: boolean }>;
}

function withBudget(options: HttpProbeOptions, budgetMs: number): HttpProbeOptions["request"] {
  const ctx = options.request.ctx;
  return { ...options.request, ctx: { ...ctx, signal: timeoutSignal(budgetMs, ctx.signal) } };
}

function finalOf(chain: RedirectChain | null) {
  const last = chain?.exchanges.at(-1);
  return chain && (chain.end === "final" || chain.end === "max-redirects") && last?.outcome === "response" ? last : null;
}

export async function probeHttp(host: string | null, options: HttpProbeOptions): Promise<HttpEvidence> {
  if (!host) return { host: null, httpChain: null, httpsChain: null, robots: null, cors: null, preloaded: {} };
  const page = { maxBodyBytes: 2 * 1024 * 1024, timeoutMs: options.requestTimeoutMs, parseHtml: true };
  const [httpChain, httpsChain] = await Promise.all([
    fetchChain(`http://${host}/`, { ...withBudget(options, options.chainTimeoutMs), ...page }),
    fetchChain(`https://${host}/`, { ...withBudget(options, options.chainTimeoutMs), ...page }),
  ]);
  const autoChain = finalOf(httpsChain) ? httpsChain : finalOf(httpChain) ? httpChain : null;
  const small = { maxBodyBytes: 64 * 1024, timeoutMs: options.requestTimeoutMs };
  const [robotsChain, cors] = autoChain
    ? await Promise.all([
        fetchChain(new URL("/robots.txt", autoChain.start).href, { ...withBudget(options, options.chainTimeoutMs), ...small, headers: { accept: "text/plain,*/*;q=0.8" } }),
        httpRequest(autoChain.exchanges.at(-1)!.url, { ...withBudget(options, options.requestTimeoutMs), ...small, method: "OPTIONS", headers: { origin: CORS_ORIGIN, "access-control-request-method": "GET" } }),
      ])
    : [null, null];
  // Cookies set anywhere on the robots.txt chain end up in the jar, as in the Observatory's session.
  const robotsLast = robotsChain?.exchanges.at(-1) ?? null;
  const robots = robotsLast ? { ...robotsLast, setCookies: robotsChain!.exchanges.flatMap((e) => e.setCookies ?? []) } : null;
  const hosts = new Set([host, ...(httpChain.exchanges.map((e) => new URL(e.url).hostname))]);
  const preloaded: HttpEvidence["preloaded"] = {};
  for (const candidate of hosts) {
    const labels = candidate.split(".");
    for (let i = 0; i < labels.length; i++) {
      const name = labels.slice(i).join(".");
      const entry = options.hstsPreload[name];
      if (entry) preloaded[name] = entry;
    }
  }
  return { host, httpChain, httpsChain, robots, cors, preloaded };
}

export async function probeOther(domain: string, host: string | null, wwwHasAddress: boolean, options: HttpProbeOptions): Promise<OtherEvidence> {
  if (!host) return { securityTxt: { wellKnown: null, legacy: null }, www: null };
  const text = { maxBodyBytes: 100 * 1024, timeoutMs: options.requestTimeoutMs, keepBody: true, headers: { accept: "text/plain,*/*;q=0.8" } };
  const www = `www.${domain}`;
  const probeWww = wwwHasAddress && host !== www;
  const [wellKnown, legacy, wwwHttps, wwwHttp] = await Promise.all([
    fetchChain(`https://${host}/.well-known/security.txt`, { ...withBudget(options, options.chainTimeoutMs), ...text }),
    fetchChain(`https://${host}/security.txt`, { ...withBudget(options, options.chainTimeoutMs), ...text }),
    probeWww ? fetchChain(`https://${www}/`, { ...withBudget(options, options.requestTimeoutMs), maxBodyBytes: 1024, timeoutMs: options.requestTimeoutMs, followRedirects: false }) : Promise.resolve(null),
    probeWww ? fetchChain(`http://${www}/`, { ...withBudget(options, options.requestTimeoutMs), maxBodyBytes: 1024, timeoutMs: options.requestTimeoutMs, followRedirects: false }) : Promise.resolve(null),
  ]);
  return { securityTxt: { wellKnown, legacy }, www: probeWww ? { httpsChain: wwwHttps, httpChain: wwwHttp } : null };
}
