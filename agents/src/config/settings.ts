/**
 * Command-line flags and environment, read and validated once (zod). The CronJob passes its
 * configuration as environment variables; flags win over the environment.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { AgentError } from "../errors";
import { DEFAULT_NAMED_CONFIGMAPS, parseNamedConfigMaps, type NamedConfigMap } from "../collect/resource-catalog";

export interface KubeSource {
  kubeconfig?: string;
  context?: string;
}

export interface PushSettings {
  serverUrl: string;
  token: string;
  caBundle?: string;
  proxyUrl?: string;
  noProxy?: string;
  chartVersion?: string;
  pushBudgetSeconds: number;
}

export interface CollectTuning {
  pageSize: number;
  qps: number;
  namedConfigMaps: NamedConfigMap[];
}

const positiveInt = (name: string, max: number) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(1, `${name} must be at least 1`)
    .max(max, `${name} must be at most ${max}`);

const nonNegativeInt = (name: string, max: number) => z.coerce.number({ error: `${name} must be a number` }).int(`${name} must be a whole number`).min(0, `${name} must be at least 0`).max(max, `${name} must be at most ${max}`);

function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? "invalid value";
}

export function parseNumber(value: string | undefined, fallback: number, schema: z.ZodType<number>): number {
  if (value === undefined || value === "") return fallback;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AgentError(firstIssue(parsed.error), 2);
  return parsed.data;
}

export function readSecretFile(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AgentError(`${what} ${path} cannot be read${code === "ENOENT" ? ": no such file" : code === "EACCES" ? ": permission denied" : ""}`, 2);
  }
}

export function collectTuning(flags: { "page-size"?: string; qps?: string; "named-configmaps"?: string }, env: NodeJS.ProcessEnv): CollectTuning {
  const named = flags["named-configmaps"] ?? env.RAMPARTS_NAMED_CONFIGMAPS;
  let namedConfigMaps: NamedConfigMap[];
  try {
    namedConfigMaps = named !== undefined ? parseNamedConfigMaps(named) : [...DEFAULT_NAMED_CONFIGMAPS];
  } catch (error) {
    throw new AgentError(`--named-configmaps: ${(error as Error).message}`, 2);
  }
  return {
    pageSize: parseNumber(flags["page-size"] ?? env.RAMPARTS_PAGE_SIZE, 500, positiveInt("--page-size", 5000)),
    qps: parseNumber(flags.qps ?? env.RAMPARTS_QPS, 20, positiveInt("--qps", 1000)),
    namedConfigMaps,
  };
}

export function pushSettings(
  flags: { server?: string; token?: string; "token-file"?: string; "ca-bundle"?: string; "https-proxy"?: string; "no-proxy"?: string; "push-budget-seconds"?: string },
  env: NodeJS.ProcessEnv,
): PushSettings {
  const serverUrl = flags.server ?? env.RAMPARTS_SERVER_URL;
  if (!serverUrl) throw new AgentError("no server: pass --server <url> or set RAMPARTS_SERVER_URL", 2);
  let token = flags.token ?? env.RAMPARTS_TOKEN;
  const tokenFile = flags["token-file"] ?? env.RAMPARTS_TOKEN_FILE;
  if (!token && tokenFile) token = readSecretFile(tokenFile, "token file");
  if (!token) throw new AgentError("no cluster token: pass --token-file <file> (or --token) or set RAMPARTS_TOKEN_FILE", 2);
  const caFile = flags["ca-bundle"] ?? env.RAMPARTS_CA_BUNDLE_FILE;
  let caBundle: string | undefined;
  if (caFile) {
    caBundle = readSecretFile(caFile, "CA bundle");
    if (!caBundle.includes("-----BEGIN CERTIFICATE-----")) throw new AgentError(`CA bundle ${caFile} holds no PEM certificate`, 2);
  }
  const proxyUrl = flags["https-proxy"] ?? env.HTTPS_PROXY ?? env.https_proxy;
  if (proxyUrl) {
    try {
      const parsed = new URL(proxyUrl);
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("scheme");
    } catch {
      throw new AgentError("the HTTPS proxy must be an http:// or https:// URL", 2);
    }
  }
  return {
    serverUrl,
    token,
    caBundle,
    proxyUrl: proxyUrl || undefined,
    noProxy: flags["no-proxy"] ?? env.NO_PROXY ?? env.no_proxy,
    chartVersion: env.RAMPARTS_CHART_VERSION || undefined,
    pushBudgetSeconds: parseNumber(flags["push-budget-seconds"] ?? env.RAMPARTS_PUSH_BUDGET_SECONDS, 900, positiveInt("--push-budget-seconds", 24 * 3600)),
  };
}

export function startJitterSeconds(flag: string | undefined, env: NodeJS.ProcessEnv): number {
  return parseNumber(flag ?? env.RAMPARTS_START_JITTER_SECONDS, 0, nonNegativeInt("--start-jitter-seconds", 3600));
}
