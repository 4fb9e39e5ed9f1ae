/**
 * The agent's HTTP client for the ingest API (docs/agent-protocol.md). Outbound requests go only
 * to the configured server: HTTPS (plain HTTP only to a loopback address), no credentials in
 * the URL, no redirects followed, optional HTTPS proxy and extra CA bundle.
 */
import { rootCertificates } from "node:tls";
import { Agent, ProxyAgent, fetch, type Dispatcher } from "undici";
import { INGEST_API_PREFIX, INGEST_HEADERS, MAX_ABANDON_MESSAGE_LENGTH, SUGGESTED_MAX_CHUNK_DECOMPRESSED_BYTES, type AbandonReason, type SnapshotCompletion } from "@/lib/snapshot/protocol";
import { SNAPSHOT_SCHEMA_VERSION } from "@/lib/snapshot/schema";
import { gzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import { AgentError, describeError } from "../errors";
import type { Logger } from "../log/logger";
import type { SealedChunk } from "../snapshot/chunk-builder";
import { backoffDelayMs, classifyStatus, DEFAULT_RETRY_POLICY, parseRetryAfterMs, type RetryPolicy } from "./retry-policy";

export interface IngestClientOptions {
  serverUrl: string;
  token: string;
  agentVersion: string;
  chartVersion?: string;
  /** PEM text of extra CA certificates trusted for the server (and the proxy). */
  caBundle?: string;
  proxyUrl?: string;
  /** Comma-separated hosts that bypass the proxy (NO_PROXY). */
  noProxy?: string;
  retry?: Partial<RetryPolicy>;
  requestTimeoutMs?: number;
  log: Logger;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

/** A push that must not be retried: the CLI prints the message and exits non-zero. */
export class PushStoppedError extends AgentError {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message, 3);
    this.name = "PushStoppedError";
  }
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|localhost|\[::1\])$/i;

export function validateServerUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AgentError(`--server ${JSON.stringify(value)} is not a URL`, 2);
  }
  if (url.username || url.password) throw new AgentError("--server must not contain credentials; the token goes in --token or RAMPARTS_TOKEN_FILE", 2);
  if (url.protocol === "http:" && !LOOPBACK.test(url.hostname)) throw new AgentError(`--server must use https:// (plain http is allowed only to a loopback address, got ${url.host})`, 2);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new AgentError(`--server must use https://, got ${url.protocol}`, 2);
  if (url.search || url.hash) throw new AgentError("--server must not contain a query or fragment", 2);
  return url;
}

function bypassesProxy(host: string, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  return noProxy
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
    .some((entry) => entry === "*" || host === entry.replace(/^\./, "") || host.endsWith(entry.startsWith(".") ? entry : `.${entry}`));
}

function stopMessage(status: number, serverMessage: string, agentVersion: string, detail: { minimumAgentVersion?: string }): string {
  const said = serverMessage ? `: ${serverMessage}` : "";
  switch (status) {
    case 400:
      return `the server rejected the upload as malformed (400)${said}`;
    case 401:
      return `the server rejected the cluster token (401)${said}; check the token Secret or create a new token for this cluster`;
    case 403:
      return `the cluster token may not push snapshots for this cluster (403)${said}`;
    case 409:
      return `the server already holds different content for this snapshot (409)${said}`;
    case 413:
      return `the server refused the upload as too large (413)${said}`;
    case 426:
      return `agent ${agentVersion} is too old for this server (426)${said}${detail.minimumAgentVersion ? `; upgrade to ${detail.minimumAgentVersion} or later` : "; upgrade the agent"}`;
    default:
      return `the server answered ${status}${said}; not retrying`;
  }
}

export class IngestClient {
  private readonly base: URL;
  private readonly dispatcher: Dispatcher;
  private readonly policy: RetryPolicy;
  private readonly deadline: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(private readonly options: IngestClientOptions) {
    this.base = validateServerUrl(options.serverUrl);
    if (!/^[\x21-\x7e]{8,512}$/.test(options.token)) throw new AgentError("the cluster token is missing or malformed (8-512 printable characters expected)", 2);
    const ca = options.caBundle ? [...rootCertificates, options.caBundle] : undefined;
    const connect = { ...(ca ? { ca } : {}), timeout: 30_000 };
    if (options.proxyUrl && !bypassesProxy(this.base.hostname, options.noProxy)) {
      this.dispatcher = new ProxyAgent({ uri: options.proxyUrl, ...(ca ? { requestTls: { ca }, proxyTls: { ca } } : {}) });
    } else {
      this.dispatcher = new Agent({ connect });
    }
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.now = options.now ?? Date.now;
    this.deadline = this.now() + this.policy.totalBudgetMs;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
  }

  async uploadChunk(snapshotId: string, chunk: SealedChunk): Promise<void> {
    await this.post(`${INGEST_API_PREFIX}/snapshots/${snapshotId}/chunks/${chunk.index}`, chunk.body, `${snapshotId}:${chunk.index}`, chunk.sha256, `chunk ${chunk.index}`);
  }

  async complete(completion: SnapshotCompletion): Promise<void> {
    const body = gzipSync(JSON.stringify(completion));
    if (body.length > SUGGESTED_MAX_CHUNK_DECOMPRESSED_BYTES) throw new AgentError("completion body too large");
    const sha256 = createHash("sha256").update(body).digest("hex");
    await this.post(`${INGEST_API_PREFIX}/snapshots/${completion.snapshotId}/complete`, body, `${completion.snapshotId}:complete`, sha256, "completion");
  }

  /**
   * Tells the server this run's snapshot will never be completed, and why, so the cluster page
   * says so now instead of "stale" two schedules later. One attempt with a short timeout; never
   * throws (the run has failed already: this is a courtesy, and its own failure only a warning).
   */
  async abandon(snapshotId: string, reason: AbandonReason, message: string): Promise<boolean> {
    const { log } = this.options;
    const body = gzipSync(JSON.stringify({ snapshotId, reason, message: message.slice(0, MAX_ABANDON_MESSAGE_LENGTH) }));
    const sha256 = createHash("sha256").update(body).digest("hex");
    try {
      const response = await fetch(this.url(`${INGEST_API_PREFIX}/snapshots/${snapshotId}/abandon`), {
        method: "POST",
        headers: this.headers(`${snapshotId}:abandon`, sha256),
        body,
        redirect: "manual",
        dispatcher: this.dispatcher,
        signal: AbortSignal.timeout(10_000),
      });
      await response.text();
      if (response.ok) {
        log.info("reported the failed run to the server", { snapshotId, reason });
        return true;
      }
      log.warn("the server did not take the failed run's report", { snapshotId, status: response.status });
    } catch (error) {
      log.warn("the failed run could not be reported to the server", { snapshotId, problem: describeError(error) });
    }
    return false;
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private url(path: string): string {
    return `${this.base.origin}${this.base.pathname.replace(/\/+$/, "")}${path}`;
  }

  private headers(idempotencyKey: string, sha256: string): Record<string, string> {
    const headers: Record<string, string> = {
      [INGEST_HEADERS.authorization]: `Bearer ${this.options.token}`,
      "Content-Type": "application/json",
      "Content-Encoding": "gzip",
      [INGEST_HEADERS.idempotencyKey]: idempotencyKey,
      [INGEST_HEADERS.agentVersion]: this.options.agentVersion,
      [INGEST_HEADERS.schemaVersion]: SNAPSHOT_SCHEMA_VERSION,
      [INGEST_HEADERS.contentSha256]: sha256,
      "User-Agent": `ramparts-agent/${this.options.agentVersion}`,
    };
    if (this.options.chartVersion) headers[INGEST_HEADERS.chartVersion] = this.options.chartVersion;
    return headers;
  }

  private async post(path: string, body: Buffer, idempotencyKey: string, sha256: string, what: string): Promise<void> {
    const headers = this.headers(idempotencyKey, sha256);
    const { log } = this.options;

    let lastProblem = "";
    for (let attempt = 1; ; attempt++) {
      let retryAfterMs: number | undefined;
      try {
        const response = await fetch(this.url(path), {
          method: "POST",
          headers,
          body,
          redirect: "manual",
          dispatcher: this.dispatcher,
          signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 60_000),
        });
        const text = (await response.text()).slice(0, 64 * 1024);
        const kind = classifyStatus(response.status);
        if (kind === "success") {
          log.debug("upload accepted", { what, status: response.status, attempt });
          return;
        }
        let serverMessage = "";
        let detail: { minimumAgentVersion?: string } = {};
        try {
          const parsed = JSON.parse(text) as { error?: { code?: string; message?: string; minimumAgentVersion?: string } };
          serverMessage = [parsed.error?.code, parsed.error?.message].filter(Boolean).join(": ").slice(0, 500);
          detail = { minimumAgentVersion: parsed.error?.minimumAgentVersion };
        } catch {
          serverMessage = "";
        }
        if (response.status >= 300 && response.status < 400) {
          throw new PushStoppedError(`the server answered ${what} with a redirect (${response.status}); configure the final URL in --server`, response.status);
        }
        if (kind === "stop") {
          const message = stopMessage(response.status, serverMessage, this.options.agentVersion, detail);
          log.error(`push stopped: ${message}`, { what, status: response.status });
          throw new PushStoppedError(message, response.status);
        }
        lastProblem = `HTTP ${response.status}${serverMessage ? ` (${serverMessage})` : ""}`;
        retryAfterMs = parseRetryAfterMs(response.headers.get("retry-after"), this.now());
      } catch (error) {
        if (error instanceof PushStoppedError) throw error;
        lastProblem = describeError(error);
      }

      const remaining = this.deadline - this.now();
      if (attempt >= this.policy.maxAttempts) {
        throw this.giveUp(`${what}: gave up after ${attempt} attempts; last problem: ${lastProblem}`);
      }
      const wait = retryAfterMs !== undefined ? retryAfterMs : backoffDelayMs(attempt - 1, this.policy, this.random);
      if (wait > remaining) {
        throw this.giveUp(`${what}: gave up, the next retry (in ${Math.ceil(wait / 1000)} s${retryAfterMs !== undefined ? ", from Retry-After" : ""}) would pass the push time budget of ${Math.round(this.policy.totalBudgetMs / 1000)} s; last problem: ${lastProblem}`);
      }
      log.warn("upload failed, retrying", { what, attempt, problem: lastProblem, retryInMs: wait, retryAfter: retryAfterMs !== undefined });
      await this.sleep(wait);
    }
  }

  private giveUp(message: string): PushStoppedError {
    this.options.log.error(`push failed: ${message}`);
    return new PushStoppedError(message);
  }
}
