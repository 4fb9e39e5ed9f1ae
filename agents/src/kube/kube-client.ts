/**
 * The agent's only door to the Kubernetes API: GET requests with the kubeconfig's credentials,
 * built on @kubernetes/client-node's request machinery (auth, TLS, proxies) for arbitrary paths,
 * so one code path lists any group/version/resource with limit/continue.
 */
import { existsSync } from "node:fs";
import { HttpMethod, IsomorphicFetchHttpLibrary, KubeConfig, RequestContext } from "@kubernetes/client-node";
import { AgentError, describeError } from "../errors";
import { AGENT_VERSION } from "../version";

export interface KubeResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined when the body was not JSON. */
  body: unknown;
}

export interface KubeApi {
  /** Server URL, for log lines. */
  readonly server: string;
  get(path: string, query?: Record<string, string | undefined>): Promise<KubeResponse>;
}

export interface KubeConfigSource {
  /** Path to a kubeconfig file; when absent, the in-cluster service account is used. */
  kubeconfig?: string;
  context?: string;
}

const SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

export function loadKubeConfig(source: KubeConfigSource): KubeConfig {
  const kc = new KubeConfig();
  if (source.kubeconfig) {
    if (!existsSync(source.kubeconfig)) throw new AgentError(`kubeconfig ${source.kubeconfig} does not exist`, 2);
    try {
      kc.loadFromFile(source.kubeconfig);
    } catch (error) {
      throw new AgentError(`kubeconfig ${source.kubeconfig} cannot be read: ${describeError(error)}`, 2);
    }
    if (source.context) {
      if (!kc.getContextObject(source.context)) {
        const known = kc.getContexts().map((c) => c.name).join(", ") || "none";
        throw new AgentError(`kubeconfig ${source.kubeconfig} has no context "${source.context}" (contexts: ${known})`, 2);
      }
      kc.setCurrentContext(source.context);
    }
  } else {
    if (!process.env.KUBERNETES_SERVICE_HOST || !existsSync(SERVICE_ACCOUNT_TOKEN)) {
      throw new AgentError("not running in a cluster (no KUBERNETES_SERVICE_HOST or service account token): pass --kubeconfig <file>", 2);
    }
    kc.loadFromCluster();
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new AgentError(`kubeconfig context "${kc.getCurrentContext()}" names no cluster`);
  if (!/^https?:\/\//.test(cluster.server)) throw new AgentError(`kubeconfig cluster "${cluster.name}" has an invalid server URL`);
  return kc;
}

export interface KubeApiOptions {
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Client-side rate limit, like client-go's QPS: keeps a big collection polite to the API server. */
  qps?: number;
}

export function createKubeApi(kc: KubeConfig, options: KubeApiOptions = {}): KubeApi {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new AgentError("kubeconfig has no current cluster");
  const server = cluster.server.replace(/\/+$/, "");
  const http = new IsomorphicFetchHttpLibrary();
  const timeoutMs = options.timeoutMs ?? 60_000;
  const minIntervalMs = options.qps && options.qps > 0 ? 1000 / options.qps : 0;
  let nextSlot = 0;

  async function throttle(): Promise<void> {
    if (minIntervalMs === 0) return;
    const now = Date.now();
    const wait = nextSlot - now;
    nextSlot = Math.max(now, nextSlot) + minIntervalMs;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  return {
    server,
    async get(path, query = {}) {
      const context = new RequestContext(`${server}${path}`, HttpMethod.GET);
      for (const [name, value] of Object.entries(query)) if (value !== undefined) context.setQueryParam(name, value);
      context.setHeaderParam("Accept", "application/json");
      context.setHeaderParam("User-Agent", `ramparts-agent/${AGENT_VERSION}`);
      context.setSignal(AbortSignal.timeout(timeoutMs));
      await throttle();
      try {
        await kc.applySecurityAuthentication(context);
        const response = await http.send(context).toPromise();
        const text = await response.body.text();
        let body: unknown;
        try {
          body = text.length > 0 ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        return { status: response.httpStatusCode, headers: response.headers, body };
      } catch (error) {
        throw new KubeTransportError(`cannot reach the Kubernetes API at ${server}${path}: ${describeError(error)}`);
      }
    },
  };
}

/** The request never got an HTTP answer (DNS, TCP, TLS, timeout). */
export class KubeTransportError extends Error {
  override name = "KubeTransportError";
}

/** The message of a Kubernetes Status body, or a generic description of the answer. */
export function statusMessage(response: KubeResponse): string {
  const body = response.body as { kind?: string; message?: unknown } | undefined;
  if (body && body.kind === "Status" && typeof body.message === "string") return body.message.slice(0, 500);
  return `HTTP ${response.status}`;
}
