import http from "node:http";
import type net from "node:net";
import tls from "node:tls";
import zlib from "node:zlib";
import type { HttpExchange, RedirectChain } from "../rules/evidence";
import { summarizeHtml } from "../rules/html-summary";
import { BlockedTargetError } from "./address-policy";
import { timeoutSignal } from "./timeout-signal";
import { type ConnectContext, dialTcp, dialTls, hostnameMatches, resolveForConnect } from "./guarded-connect";

/**
 * Guarded HTTP(S) requests: every request (and every redirect hop) is resolved and dialled through
 * guarded-connect, only http/https on the default ports (80/443, mapped only in tests), bodies capped
 * before and after decompression, redirects followed by hand (at most 10).
 */

export const USER_AGENT = "Mozilla/5.0 (compatible; RampartsDomainCheck/1.0; +https://ramparts.dev/domain-check)";
export const MAX_REDIRECTS = 10;
const MAX_HEADER_VALUE = 8192;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface RequestOptions {
  ctx: ConnectContext;
  method?: "GET" | "OPTIONS";
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Body bytes kept (and decoded bytes allowed). */
  maxBodyBytes: number;
  keepBody?: boolean;
  parseHtml?: boolean;
  trustAnchors?: string[];
}

function outcomeOf(error: unknown): HttpExchange["outcome"] {
  const code = (error as { code?: string }).code;
  if (error instanceof BlockedTargetError) return "blocked";
  if (code === "ECONNREFUSED") return "refused";
  if (code === "ETIMEDOUT" || code === "ABORT_ERR" || (error as Error).name === "TimeoutError") return "timeout";
  return "error";
}

function errorText(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return (e.code ? `${e.code}: ` : "") + (e.message ?? String(error)).slice(0, 300);
}

export function portFor(url: URL, ctx: ConnectContext): number | null {
  if (url.port !== "") return null;
  return url.protocol === "https:" ? ctx.policy.ports.https : url.protocol === "http:" ? ctx.policy.ports.http : null;
}

function decoder(encoding: string | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | null {
  switch ((encoding ?? "").trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return zlib.createGunzip();
    case "deflate":
      return zlib.createInflate();
    case "br":
      return zlib.createBrotliDecompress();
    default:
      return null;
  }
}

export async function httpRequest(rawUrl: string, options: RequestOptions): Promise<HttpExchange> {
  const method = options.method ?? "GET";
  const base: HttpExchange = { url: rawUrl, method, outcome: "error" };
  if (options.headers?.origin) base.requestHeaders = { origin: options.headers.origin };
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ...base, outcome: "blocked", error: "invalid URL" };
  }
  const port = portFor(url, options.ctx);
  if (port === null || url.username || url.password) return { ...base, outcome: "blocked", error: "only http/https on ports 80 and 443, without credentials" };
  const deadline = timeoutSignal(options.timeoutMs, options.ctx.signal);
  let socket: net.Socket | null = null;
  try {
    const target = await resolveForConnect(url.hostname, { ...options.ctx, signal: deadline });
    const https = url.protocol === "https:";
    socket = https
      ? await dialTls(target, port, { ...options.ctx, signal: deadline }, options.timeoutMs, { ca: options.trustAnchors, ALPNProtocols: ["http/1.1"] })
      : await dialTcp(target, port, { ...options.ctx, signal: deadline }, options.timeoutMs);
    const tlsInfo = https
      ? {
          tlsVerified: (socket as tls.TLSSocket).authorized && hostnameMatches(target.host, socket as tls.TLSSocket),
          tlsError: (socket as tls.TLSSocket).authorized ? (hostnameMatches(target.host, socket as tls.TLSSocket) ? null : "ERR_TLS_CERT_ALTNAME_INVALID") : String((socket as tls.TLSSocket).authorizationError ?? "unverified"),
        }
      : { tlsVerified: null, tlsError: null };
    const connected = socket;
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = http.request({
        method,
        host: url.hostname,
        path: `${url.pathname}${url.search}`,
        headers: { host: url.hostname, "user-agent": USER_AGENT, accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "accept-encoding": "gzip, deflate, br", ...options.headers },
        createConnection: () => connected,
        signal: deadline,
      });
      request.on("response", resolve);
      request.on("error", reject);
      request.end();
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (name === "set-cookie" || value === undefined) continue;
      headers[name] = (Array.isArray(value) ? value.join(", ") : value).slice(0, MAX_HEADER_VALUE);
    }
    const setCookies = (response.headers["set-cookie"] ?? []).slice(0, 50).map((c) => c.slice(0, MAX_HEADER_VALUE));
    const exchange: HttpExchange = { ...base, outcome: "response", status: response.statusCode ?? 0, headers, setCookies, ...tlsInfo };
    const wantsBody = (options.keepBody || options.parseHtml) && method === "GET" && response.statusCode === 200;
    if (!wantsBody) {
      response.destroy();
      return exchange;
    }
    const { text, truncated } = await readBody(response, options.maxBodyBytes, deadline);
    if (options.keepBody) exchange.body = text;
    exchange.bodyTruncated = truncated;
    const type = (headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (options.parseHtml && (type === "" || type === "text/html" || type === "application/xhtml+xml")) exchange.html = summarizeHtml(text);
    return exchange;
  } catch (error) {
    return { ...base, outcome: deadline.aborted && !(error instanceof BlockedTargetError) ? "timeout" : outcomeOf(error), error: errorText(error) };
  } finally {
    socket?.destroy();
  }
}

/** Reads at most maxBytes of the decoded body; a decompression bomb stops at the cap too. */
function readBody(response: http.IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<{ text: string; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const decode = decoder(response.headers["content-encoding"]);
    const stream: NodeJS.ReadableStream = decode ? response.pipe(decode) : response;
    const chunks: Buffer[] = [];
    let size = 0;
    let rawSize = 0;
    let done = false;
    const finish = (truncated: boolean) => {
      if (done) return;
      done = true;
      signal.removeEventListener("abort", onAbort);
      response.destroy();
      decode?.destroy();
      resolve({ text: Buffer.concat(chunks).toString("utf8"), truncated });
    };
    const onAbort = () => {
      if (done) return;
      done = true;
      response.destroy();
      decode?.destroy();
      reject(Object.assign(new Error("body timed out"), { code: "ETIMEDOUT" }));
    };
    signal.addEventListener("abort", onAbort, { once: true });
    // Compressed bytes are capped too (the decoded cap below stops decompression bombs).
    if (decode) {
      response.on("data", (chunk: Buffer) => {
        rawSize += chunk.length;
        if (rawSize > maxBytes) finish(true);
      });
    }
    stream.on("data", (chunk: Buffer) => {
      if (done) return;
      const room = maxBytes - size;
      chunks.push(chunk.subarray(0, Math.max(room, 0)));
      size += chunk.length;
      if (size > maxBytes) finish(true);
    });
    stream.on("end", () => finish(false));
    stream.on("error", () => finish(true));
    response.on("error", () => finish(true));
  });
}

export interface ChainOptions extends RequestOptions {
  /** False for MTA-STS (RFC 8461 forbids following redirects). */
  followRedirects?: boolean;
}

export async function fetchChain(start: string, options: ChainOptions): Promise<RedirectChain> {
  const chain: RedirectChain = { start, exchanges: [], end: "final" };
  let url = start;
  for (let hop = 0; ; hop++) {
    const exchange = await httpRequest(url, options);
    chain.exchanges.push(exchange);
    if (exchange.outcome !== "response") {
      chain.end = "failed";
      return chain;
    }
    const location = exchange.headers?.location;
    if (options.followRedirects === false || !REDIRECT_STATUSES.has(exchange.status ?? 0) || !location) return chain;
    if (hop >= MAX_REDIRECTS) {
      chain.end = "max-redirects";
      return chain;
    }
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      chain.end = "blocked-location";
      chain.blockedLocation = location.slice(0, 300);
      return chain;
    }
    if ((next.protocol !== "http:" && next.protocol !== "https:") || next.port !== "" || next.username || next.password) {
      chain.end = "blocked-location";
      chain.blockedLocation = next.href.slice(0, 300);
      return chain;
    }
    next.hash = "";
    url = next.href;
  }
}
