/**
 * Configuration, read and validated once. The rest of the code imports `settings()`, never `process.env`.
 * Every variable is documented in the README's configuration table.
 */
import { z } from "zod";
import net from "node:net";
import path from "node:path";

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.string().url().optional());

/** "ip", "ip:port" or "[ipv6]:port"; names are refused (resolving the resolver would need a resolver). */
function isDnsServerAddress(value: string): boolean {
  const m = /^\[([0-9a-fA-F:.]+)\](?::(\d{1,5}))?$/.exec(value) ?? /^([0-9.]+)(?::(\d{1,5}))?$/.exec(value);
  if (m) return net.isIP(m[1]!) !== 0 && (m[2] === undefined || (Number(m[2]) >= 1 && Number(m[2]) <= 65535));
  return net.isIPv6(value);
}
const dnsServerList = z.preprocess(
  (v) => (typeof v === "string" && v.trim() !== "" ? v.split(",").map((s) => s.trim()).filter(Boolean) : undefined),
  z.array(z.string().refine(isDnsServerAddress, "each entry must be an IP address with an optional port, e.g. 10.0.0.53 or 10.0.0.53:53 or [2001:db8::53]:53")).min(1).optional(),
);

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** "demo" enables the dev mailbox and the demo sign-in link on a production build. */
  RAMPARTS_MODE: z.preprocess(emptyToUndefined, z.enum(["production", "development", "demo", "test"]).optional()),
  /** PostgreSQL connection for the application. Unset: the embedded database under RAMPARTS_DATA_DIR. */
  DATABASE_URL: optionalUrl,
  /** Connection used to apply migrations (the owner of the tables); defaults to DATABASE_URL. */
  MIGRATE_DATABASE_URL: optionalUrl,
  RAMPARTS_DATA_DIR: z.preprocess(emptyToUndefined, z.string().default(".data")),
  /** Public base URL of the app, e.g. https://ramparts.example.com (next-auth reads NEXTAUTH_URL too). */
  NEXTAUTH_URL: optionalUrl,
  APP_URL: optionalUrl,
  NEXTAUTH_SECRET: optionalString,
  /** smtp://user:pass@host:port or smtps://...; unset outside production: mail goes to the dev mailbox. */
  SMTP_URL: optionalUrl,
  EMAIL_FROM: z.preprocess(emptyToUndefined, z.string().default("Ramparts <no-reply@ramparts.localhost>")),
  /** Minutes a magic sign-in link stays valid. */
  MAGIC_LINK_MAX_AGE_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Days raw snapshots (chunks) and findings are kept; daily scores are kept a year. */
  RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Ingest requests (chunks and completions) one cluster may make per minute. */
  INGEST_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
  /** Megabytes (of JSON) of chunks kept parsed between upload and evaluation in one process; 0: none. */
  INGEST_PARSED_CACHE_MB: z.coerce.number().int().min(0).max(16_384).default(256),
  /** "in-process": the web server runs the job queue; "off": only `npm run worker` does. */
  JOB_RUNNER: z.enum(["in-process", "off"]).default("in-process"),
  /** Jobs one runner evaluates at once (evaluation is CPU-bound). */
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(1),
  /** The public domain check's recursive resolvers (a trusted validating resolver; required in production). */
  DOMAIN_CHECK_DNS_SERVERS: dnsServerList,
  /** PEM bundle: self-signed certificates replace the trust anchors, the others recognise incomplete chains. */
  DOMAIN_CHECK_CA_FILE: optionalString,
  /** New domain checks one client address may start per 10 minutes (joining or reusing a scan is free). */
  DOMAIN_CHECK_SCANS_PER_CLIENT: z.coerce.number().int().min(1).max(10_000).default(5),
  /** Domain checks one app instance runs at once; more are answered 429 until one finishes. */
  DOMAIN_CHECK_MAX_CONCURRENT_SCANS: z.coerce.number().int().min(1).max(64).default(4),
  /** Days public domain checks are kept. */
  DOMAIN_CHECK_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
});

export type Mode = "production" | "development" | "demo" | "test";

export interface Settings {
  mode: Mode;
  databaseUrl: string | undefined;
  migrateDatabaseUrl: string | undefined;
  dataDir: string;
  appUrl: string;
  authSecret: string | undefined;
  smtpUrl: string | undefined;
  emailFrom: string;
  magicLinkMaxAgeSeconds: number;
  logLevel: "debug" | "info" | "warn" | "error";
  retentionDays: number;
  ingestRateLimitPerMinute: number;
  ingestParsedCacheMb: number;
  jobRunner: "in-process" | "off";
  jobConcurrency: number;
  domainCheck: {
    /** Unset: the system's resolver addresses outside production; the check is disabled in production. */
    dnsServers: string[] | undefined;
    caFile: string | undefined;
    scansPerClientPer10Minutes: number;
    maxConcurrentScans: number;
    retentionDays: number;
  };
  /** The dev mailbox (files under the data dir and a page listing them) exists only here. */
  devMailboxEnabled: boolean;
  /** Cookies are Secure unless the app is served over plain-HTTP localhost. */
  secureCookies: boolean;
}

export class ConfigurationError extends Error {
  override name = "ConfigurationError";
}

export function parseSettings(env: Record<string, string | undefined>): Settings {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigurationError(`Invalid configuration: ${issue.path.join(".")}: ${issue.message}`);
  }
  const e = parsed.data;
  const mode: Mode = e.RAMPARTS_MODE ?? (e.NODE_ENV === "production" ? "production" : e.NODE_ENV === "test" ? "test" : "development");
  const appUrl = (e.APP_URL ?? e.NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/$/, "");
  const url = new URL(appUrl);
  const plainLocalhost = url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (mode === "production" && !e.NEXTAUTH_SECRET) {
    throw new ConfigurationError("Invalid configuration: NEXTAUTH_SECRET is required in production");
  }
  if (mode === "production" && !e.SMTP_URL) {
    throw new ConfigurationError("Invalid configuration: SMTP_URL is required in production (sign-in links are sent by mail)");
  }
  return {
    mode,
    databaseUrl: e.DATABASE_URL,
    migrateDatabaseUrl: e.MIGRATE_DATABASE_URL ?? e.DATABASE_URL,
    dataDir: path.resolve(e.RAMPARTS_DATA_DIR),
    appUrl,
    authSecret: e.NEXTAUTH_SECRET,
    smtpUrl: e.SMTP_URL,
    emailFrom: e.EMAIL_FROM,
    magicLinkMaxAgeSeconds: e.MAGIC_LINK_MAX_AGE_MINUTES * 60,
    logLevel: e.LOG_LEVEL,
    retentionDays: e.RETENTION_DAYS,
    ingestRateLimitPerMinute: e.INGEST_RATE_LIMIT_PER_MINUTE,
    ingestParsedCacheMb: e.INGEST_PARSED_CACHE_MB,
    jobRunner: e.JOB_RUNNER,
    jobConcurrency: e.JOB_CONCURRENCY,
    domainCheck: {
      dnsServers: e.DOMAIN_CHECK_DNS_SERVERS,
      caFile: e.DOMAIN_CHECK_CA_FILE,
      scansPerClientPer10Minutes: e.DOMAIN_CHECK_SCANS_PER_CLIENT,
      maxConcurrentScans: e.DOMAIN_CHECK_MAX_CONCURRENT_SCANS,
      retentionDays: e.DOMAIN_CHECK_RETENTION_DAYS,
    },
    devMailboxEnabled: mode !== "production" && !e.SMTP_URL,
    secureCookies: !plainLocalhost,
  };
}

let cached: Settings | undefined;

export function settings(): Settings {
  cached ??= parseSettings(process.env);
  return cached;
}

/** For tests that change the environment. */
export function resetSettingsForTests(): void {
  cached = undefined;
}
