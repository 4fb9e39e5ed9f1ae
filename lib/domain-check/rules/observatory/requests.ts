import type { HtmlSummary, HttpEvidence, HttpExchange, RedirectChain } from "../evidence";

/**
 * The MDN HTTP Observatory's view of a site, rebuilt from our recorded exchanges:
 * `http`/`https` are the final responses of the two redirect chains, `auto` is the https one when
 * HTTPS answered (else http), cookies are what the auto session's jar holds after the page and robots.txt.
 */
export interface ObservatoryResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  /** False when any https hop of the chain had a certificate that failed validation. */
  verified: boolean;
  html: HtmlSummary | null;
  setCookies: string[];
}

export interface ObservatoryRequests {
  host: string;
  http: ObservatoryResponse | null;
  https: ObservatoryResponse | null;
  auto: ObservatoryResponse | null;
  /** Every hop of the http:// chain (url + status). */
  httpRoute: { url: string; status: number }[];
  /** The URL the auto session started from. */
  sessionUrl: string | null;
  setCookies: string[];
  cors: { response: ObservatoryResponse; origin: string | null } | null;
  preloaded: (host: string) => { includeSubDomains: boolean } | null;
}

function responses(chain: RedirectChain | null): HttpExchange[] {
  return chain ? chain.exchanges.filter((e) => e.outcome === "response") : [];
}

/** A chain counts as retrieved when it ended on a response (or gave up after 10 redirects, as axios does). */
export function finalResponse(chain: RedirectChain | null): ObservatoryResponse | null {
  if (!chain || (chain.end !== "final" && chain.end !== "max-redirects")) return null;
  const last = chain.exchanges.at(-1);
  if (!last || last.outcome !== "response") return null;
  const verified = chain.exchanges.every((e) => e.tlsVerified !== false);
  return toResponse(last, verified);
}

export function toResponse(exchange: HttpExchange, verified: boolean): ObservatoryResponse {
  return { url: exchange.url, status: exchange.status ?? 0, headers: exchange.headers ?? {}, verified, html: exchange.html ?? null, setCookies: exchange.setCookies ?? [] };
}

export function observatoryRequests(http: HttpEvidence): ObservatoryRequests | null {
  if (!http.host) return null;
  const httpResponse = finalResponse(http.httpChain);
  const httpsResponse = finalResponse(http.httpsChain);
  const autoIsHttps = httpsResponse !== null;
  const autoChain = autoIsHttps ? http.httpsChain : http.httpChain;
  const auto = autoIsHttps ? httpsResponse : httpResponse;
  const setCookies = [...responses(autoChain), ...(http.robots?.outcome === "response" ? [http.robots] : [])].flatMap((e) => e.setCookies ?? []);
  const preloadedHosts = http.preloaded;
  return {
    host: http.host,
    http: httpResponse,
    https: httpsResponse,
    auto,
    httpRoute: responses(http.httpChain).map((e) => ({ url: e.url, status: e.status ?? 0 })),
    sessionUrl: auto ? (autoChain?.start ?? null) : null,
    setCookies,
    cors: http.cors && http.cors.outcome === "response" ? { response: toResponse(http.cors, auto?.verified ?? false), origin: http.cors.requestHeaders?.origin ?? null } : null,
    preloaded: (host) => {
      const labels = host.toLowerCase().split(".");
      for (let i = 0; i < labels.length; i++) {
        const candidate = labels.slice(i).join(".");
        const entry = preloadedHosts[candidate];
        if (entry && (i === 0 || entry.includeSubDomains)) return entry;
      }
      return null;
    },
  };
}

export function header(response: ObservatoryResponse | null, name: string): string | null {
  return response?.headers[name.toLowerCase()] ?? null;
}
