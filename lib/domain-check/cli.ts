import { readFile } from "node:fs/promises";
import { getServers } from "node:dns";
import { z } from "zod";
import { createDnsResolver } from "./dns/dns-resolver";
import { loadPemBundle } from "./pem-bundle";
import { type TargetPolicy, operatorTargetPolicy } from "./policy";
import type { DomainReport } from "./report";
import { InvalidTargetError, scanDomain } from "./scan";

/**
 * `npm run check-domain -- <domain> [--json] [--dns-server <host:port>] [--ca-file <pem>] [--allow-private-targets]`
 * The CLI is an operator tool: without flags it behaves like the public check (public names and addresses,
 * system resolvers). Port mapping is not an option here; tests inject a test policy through `hooks`.
 */

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const argsSchema = z.object({
  domain: z.string().min(1, "a domain is required"),
  json: z.boolean(),
  dnsServers: z.array(z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[0-9.]+)(:\d{1,5})?$/, "--dns-server must be an IP address with an optional port, e.g. 127.0.0.1:5353")),
  caFile: z.string().min(1).optional(),
  allowPrivateTargets: z.boolean(),
});

export const USAGE = "Usage: npm run check-domain -- <domain> [--json] [--dns-server <host:port>] [--ca-file <pem>] [--allow-private-targets]";

export function parseCliArgs(argv: string[]): z.infer<typeof argsSchema> | { error: string } {
  const out = { domain: "", json: false, dnsServers: [] as string[], caFile: undefined as string | undefined, allowPrivateTargets: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--json") out.json = true;
    else if (arg === "--allow-private-targets") out.allowPrivateTargets = true;
    else if (arg === "--dns-server" || arg === "--ca-file") {
      const value = argv[++i];
      if (!value || value.startsWith("--")) return { error: `${arg} needs a value` };
      if (arg === "--dns-server") out.dnsServers.push(value);
      else out.caFile = value;
    } else if (arg.startsWith("--")) return { error: `unknown option ${arg}` };
    else if (out.domain) return { error: `only one domain, got "${out.domain}" and "${arg}"` };
    else out.domain = arg;
  }
  const parsed = argsSchema.safeParse(out);
  if (!parsed.success) return { error: parsed.error.issues.map((i) => i.message).join("; ") };
  return parsed.data;
}

const STATUS_MARK: Record<string, string> = { pass: "PASS", warn: "WARN", fail: "FAIL", info: "INFO", "not-applicable": "N/A ", "not-tested": "----" };

export function formatReport(report: DomainReport): string {
  const lines: string[] = [];
  const s = report.score;
  lines.push(`Domain check: ${report.domain}`);
  lines.push(s.kind === "graded" ? `Grade ${s.grade} (${s.score}/100${s.rawScore !== s.score ? `, ${s.rawScore} before caps` : ""})` : `Incomplete: ${s.untestedPoints} of ${s.possiblePoints + s.untestedPoints} weighted points could not be tested`);
  for (const cap of s.caps) lines.push(`  capped at ${cap.limit}: ${cap.reason}`);
  if (report.observatory) lines.push(`MDN HTTP Observatory equivalent: ${report.observatory.grade} (${report.observatory.score})`);
  for (const group of report.groups) {
    lines.push("", group.title);
    for (const check of group.checks) lines.push(`  [${STATUS_MARK[check.status]}] ${check.title}: ${check.summary}`);
  }
  lines.push("", `Finished in ${(report.durationMs / 1000).toFixed(1)} s.`);
  return lines.join("\n");
}

export async function runCheckDomainCli(argv: string[], io: CliIo, hooks: { policy?: TargetPolicy } = {}): Promise<number> {
  const args = parseCliArgs(argv);
  if ("error" in args) {
    io.stderr(`${args.error}\n${USAGE}\n`);
    return 2;
  }
  let bundle: { roots: string[]; intermediates: string[] } | undefined;
  if (args.caFile) {
    try {
      bundle = loadPemBundle(await readFile(args.caFile, "utf8"));
    } catch (error) {
      io.stderr(`--ca-file ${args.caFile}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : "not a PEM certificate bundle"}\n`);
      return 2;
    }
    if (bundle.roots.length === 0) {
      io.stderr(`--ca-file ${args.caFile}: no self-signed root certificate in the file\n`);
      return 2;
    }
  }
  const servers = args.dnsServers.length > 0 ? args.dnsServers : getServers();
  let resolver;
  try {
    resolver = createDnsResolver({ servers });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n`);
    return 2;
  }
  const policy = hooks.policy ?? operatorTargetPolicy({ allowPrivateTargets: args.allowPrivateTargets });
  try {
    const report = await scanDomain(args.domain, {
      policy,
      resolver,
      trustAnchors: bundle?.roots,
      intermediates: bundle?.intermediates,
      onEvent: args.json ? undefined : (event) => {
        if (event.type === "group-finished") io.stderr(`... ${event.title} done (${(event.elapsedMs / 1000).toFixed(1)} s)\n`);
      },
    });
    io.stdout(args.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof InvalidTargetError) {
      io.stderr(`${args.domain}: ${error.message}\n`);
      return 2;
    }
    io.stderr(`The check failed: ${(error as Error).message}\n`);
    return 1;
  }
}
