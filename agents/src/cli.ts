/**
 * ramparts-agent: collect a cluster's security-relevant inventory (read-only, redacted) and push
 * it to Ramparts. `run` is what the CronJob executes; `collect` is the dry run that shows
 * exactly what would be sent; `push` sends a collected file.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { snapshotV1Schema } from "@/lib/snapshot/schema";
import { collectCluster } from "./collect/collect-cluster";
import { collectFromFile } from "./collect/collect-from-file";
import { collectTuning, pushSettings, startJitterSeconds } from "./config/settings";
import { AgentError, describeError } from "./errors";
import { createKubeApi, loadKubeConfig } from "./kube/kube-client";
import { createLogger, type Logger, type LogLevel } from "./log/logger";
import { IngestClient, PushStoppedError } from "./push/ingest-client";
import type { AbandonReason } from "@/lib/snapshot/protocol";
import { PushSink } from "./push/push-sink";
import { redactObject } from "./redact/redact-object";
import { newSnapshotId } from "./snapshot/snapshot-id";
import { SnapshotFileSink, TeeSink, type SnapshotSink } from "./snapshot/snapshot-sink";
import { AGENT_VERSION } from "./version";

export const HELP = `ramparts-agent ${AGENT_VERSION}: read-only Kubernetes inventory for Ramparts

Usage:
  ramparts-agent run [--kubeconfig <file> [--context <name>]] [--server <url>] [--token-file <file>] [--output <file>]
      Collect and push once (what the CronJob runs). In a pod, uses the service account.
  ramparts-agent collect [--kubeconfig <file> [--context <name>]] --output <file|->
      Dry run: write exactly what would be sent, as readable JSON.
  ramparts-agent collect --from-file <file|dir|-> --output <file|->
      Offline: build a snapshot from \`kubectl get -o json\` output or manifests.
  ramparts-agent push <file> --server <url> (--token-file <file> | --token <token>)
      Push a snapshot written by collect.

Options:
  --server <url>              Ramparts server (env RAMPARTS_SERVER_URL); https:// only, http:// to loopback
  --token-file <file>         File holding the cluster token (env RAMPARTS_TOKEN_FILE)
  --token <token>             The cluster token itself (visible in the process list: prefer --token-file)
  --ca-bundle <file>          Extra PEM CA certificates for the server (env RAMPARTS_CA_BUNDLE_FILE)
  --https-proxy <url>         Proxy for the push (env HTTPS_PROXY); --no-proxy <hosts> (env NO_PROXY)
  --push-budget-seconds <n>   Total time the push may spend retrying (default 900)
  --named-configmaps <list>   namespace/name,... ConfigMaps read by name (default kube-system/cilium-config,kube-system/kubeadm-config)
  --page-size <n>             Objects per list page (default 500); --qps <n> API requests per second (default 20)
  --start-jitter-seconds <n>  Sleep a random 0..n seconds before run (env RAMPARTS_START_JITTER_SECONDS)
  --log-level <level>         debug, info, warn or error (default info; env RAMPARTS_LOG_LEVEL)
  -h, --help, --version
Logs are JSON lines on stderr. Exit codes: 0 done, 1 failed, 2 bad usage or configuration, 3 push refused by the server.
`;

const OPTIONS = {
  kubeconfig: { type: "string" },
  context: { type: "string" },
  output: { type: "string", short: "o" },
  "from-file": { type: "string" },
  server: { type: "string" },
  token: { type: "string" },
  "token-file": { type: "string" },
  "ca-bundle": { type: "string" },
  "https-proxy": { type: "string" },
  "no-proxy": { type: "string" },
  "push-budget-seconds": { type: "string" },
  "named-configmaps": { type: "string" },
  "page-size": { type: "string" },
  qps: { type: "string" },
  "start-jitter-seconds": { type: "string" },
  "log-level": { type: "string" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
} as const;

type Flags = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]["type"] extends "boolean" ? boolean : string };

const COMMAND_FLAGS: Record<string, ReadonlyArray<keyof Flags>> = {
  run: ["kubeconfig", "context", "output", "server", "token", "token-file", "ca-bundle", "https-proxy", "no-proxy", "push-budget-seconds", "named-configmaps", "page-size", "qps", "start-jitter-seconds", "log-level"],
  collect: ["kubeconfig", "context", "output", "from-file", "named-configmaps", "page-size", "qps", "log-level"],
  push: ["server", "token", "token-file", "ca-bundle", "https-proxy", "no-proxy", "push-budget-seconds", "log-level"],
};

export interface CliIo {
  env: NodeJS.ProcessEnv;
  log?: Logger;
  stdin?: NodeJS.ReadableStream;
  sleep?: (ms: number) => Promise<void>;
}

function kubeApi(flags: Flags, tuning: { qps: number }) {
  if (flags.context && !flags.kubeconfig) throw new AgentError("--context needs --kubeconfig", 2);
  const kc = loadKubeConfig({ kubeconfig: flags.kubeconfig, context: flags.context });
  return createKubeApi(kc, { qps: tuning.qps });
}

function ingestClient(flags: Flags, io: CliIo, log: Logger): IngestClient {
  const settings = pushSettings(flags, io.env);
  return new IngestClient({
    serverUrl: settings.serverUrl,
    token: settings.token,
    agentVersion: AGENT_VERSION,
    chartVersion: settings.chartVersion,
    caBundle: settings.caBundle,
    proxyUrl: settings.proxyUrl,
    noProxy: settings.noProxy,
    retry: { totalBudgetMs: settings.pushBudgetSeconds * 1000 },
    log,
    sleep: io.sleep,
  });
}

async function runCommand(flags: Flags, io: CliIo, log: Logger): Promise<void> {
  const tuning = collectTuning(flags, io.env);
  const jitter = startJitterSeconds(flags["start-jitter-seconds"], io.env);
  const client = ingestClient(flags, io, log);
  const api = kubeApi(flags, tuning);
  if (jitter > 0) {
    const ms = Math.floor(Math.random() * jitter * 1000);
    log.info("start jitter", { sleepMs: ms });
    await (io.sleep ?? ((t: number) => new Promise((r) => setTimeout(r, t))))(ms);
  }
  const snapshotId = newSnapshotId();
  log.info("run started", { snapshotId, agentVersion: AGENT_VERSION, server: new URL(pushSettings(flags, io.env).serverUrl).origin });
  const sinks: SnapshotSink[] = [new PushSink(client, snapshotId, log)];
  if (flags.output) sinks.push(new SnapshotFileSink(flags.output));
  try {
    await collectCluster({ api, sink: sinks.length === 1 ? (sinks[0] as SnapshotSink) : new TeeSink(sinks), log, agentVersion: AGENT_VERSION, chartVersion: io.env.RAMPARTS_CHART_VERSION || undefined, namedConfigMaps: tuning.namedConfigMaps, list: { pageSize: tuning.pageSize } });
  } catch (error) {
    const reason = abandonReason(error);
    if (reason) await client.abandon(snapshotId, reason, describeError(error));
    throw error;
  } finally {
    await client.close();
  }
}

/**
 * Why a failed run's snapshot is given up, for the server's record; null when the server would
 * not take the report anyway (token refused, agent or schema too old, snapshot id not ours).
 */
function abandonReason(error: unknown): AbandonReason | null {
  if (error instanceof PushStoppedError) {
    if (error.status === undefined) return "push_gave_up";
    return [401, 403, 426].includes(error.status) ? null : "push_refused";
  }
  return "collection_failed";
}

async function collectCommand(flags: Flags, io: CliIo, log: Logger): Promise<void> {
  if (!flags.output) throw new AgentError("collect needs --output <file> (or --output - for stdout)", 2);
  const tuning = collectTuning(flags, io.env);
  if (flags["from-file"] !== undefined) {
    if (flags.kubeconfig || flags.context) throw new AgentError("--from-file cannot be combined with --kubeconfig or --context", 2);
    await collectFromFile({ target: flags["from-file"], sink: new SnapshotFileSink(flags.output), log, agentVersion: AGENT_VERSION, stdin: io.stdin });
  } else {
    const api = kubeApi(flags, tuning);
    await collectCluster({ api, sink: new SnapshotFileSink(flags.output), log, agentVersion: AGENT_VERSION, namedConfigMaps: tuning.namedConfigMaps, list: { pageSize: tuning.pageSize } });
  }
  if (flags.output !== "-") log.info("snapshot written", { output: flags.output });
}

async function pushCommand(file: string, flags: Flags, io: CliIo, log: Logger): Promise<void> {
  const client = ingestClient(flags, io, log);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new AgentError(`${file} cannot be read: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : describeError(error)}`, 2);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AgentError(`${file} is not JSON: push takes a snapshot written by \`ramparts-agent collect\``, 2);
  }
  const parsed = snapshotV1Schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AgentError(`${file} is not a valid v1 snapshot: ${issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "schema mismatch"}`, 2);
  }
  const { objects, ...header } = parsed.data;
  const snapshotId = newSnapshotId();
  const sink = new PushSink(client, snapshotId, log);
  try {
    for (const object of objects) {
      // Redact again: a file may have been edited or built elsewhere; redaction is idempotent.
      const redacted = redactObject(object);
      if (redacted) await sink.add(redacted);
    }
    await sink.finish(header);
  } catch (error) {
    // Chunks still travelling end first, so the abandon report comes after them.
    await sink.abort();
    const reason = abandonReason(error);
    if (reason) await client.abandon(snapshotId, reason === "collection_failed" ? "push_gave_up" : reason, describeError(error));
    throw error;
  } finally {
    await client.close();
  }
}

/** Runs the CLI; returns the exit code. Never throws. */
export async function main(argv: string[], io: CliIo = { env: process.env }): Promise<number> {
  let log = io.log ?? createLogger();
  let parsed: { values: Flags; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }) as { values: Flags; positionals: string[] };
  } catch (error) {
    process.stderr.write(`ramparts-agent: ${describeError(error).replace(/\. To specify a positional.*$/, "")} (see ramparts-agent --help)\n`);
    return 2;
  }
  const { values: flags, positionals } = parsed;
  if (flags.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (flags.version) {
    process.stdout.write(`${AGENT_VERSION}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  try {
    const level = (flags["log-level"] ?? io.env.RAMPARTS_LOG_LEVEL ?? "info") as LogLevel;
    if (!["debug", "info", "warn", "error"].includes(level)) throw new AgentError("--log-level must be debug, info, warn or error", 2);
    if (!io.log) log = createLogger({ level });
    if (!command) throw new AgentError("no command: use run, collect or push (see --help)", 2);
    const allowed = COMMAND_FLAGS[command];
    if (!allowed) throw new AgentError(`unknown command "${command}": use run, collect or push`, 2);
    for (const name of Object.keys(flags) as Array<keyof Flags>) {
      if (flags[name] !== undefined && !allowed.includes(name)) throw new AgentError(`--${name} does not apply to ${command}`, 2);
    }
    if (command === "push") {
      if (rest.length !== 1) throw new AgentError("push takes exactly one snapshot file", 2);
      await pushCommand(rest[0] as string, flags, io, log);
    } else {
      if (rest.length > 0) throw new AgentError(`unexpected argument "${rest[0]}"`, 2);
      if (command === "run") await runCommand(flags, io, log);
      else await collectCommand(flags, io, log);
    }
    return 0;
  } catch (error) {
    log.done();
    if (error instanceof AgentError) {
      log.error(error.message);
      return error.exitCode;
    }
    if (error instanceof Error && error.name === "InputError") {
      log.error(error.message);
      return 2;
    }
    log.error(`failed: ${describeError(error)}`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
