/**
 * The options of `ramparts scan`, parsed from argv and validated (zod) into settings.
 * Errors are one line naming the option and the problem.
 */
import { parseArgs } from "node:util";
import { z } from "zod";

export const FORMATS = ["table", "json", "sarif", "markdown"] as const;
export type ScanFormat = (typeof FORMATS)[number];

export const SCAN_USAGE = `Usage: ramparts scan <file|directory|-> [options]

  <file>        a YAML or JSON manifest file, kubectl get -o json output, or an agent snapshot
  <directory>   every .yaml, .yml and .json file below it
  -             read from stdin (for example: helm template . | ramparts scan -)

Options:
  --format <f>               json (default), table, sarif (2.1.0, with file and line) or markdown
  --output <file>            write the report to a file instead of stdout
  --fail-under <score>       exit 1 when the score is below this (0-100)
  --exceptions <file>        exception rules, YAML or JSON (docs/checks.md, "Exceptions")
  --allowed-registries <r>   registries images may come from: host or host/path prefixes,
                             comma-separated or repeated (enables the allowed-registry check)
  --skip-namespaces <ns>     namespaces workload and namespace checks skip, comma-separated
                             (replaces the default kube-system,kube-public,kube-node-lease;
                             "" skips none)
  --top <n>                  table format: how many failures to list (default 15)
  -h, --help                 show this help

Exit codes: 0 scanned, 1 score below --fail-under, 2 bad usage or bad input, 3 internal error.
`;

const listOption = (what: string, item: z.ZodString) =>
  z
    .array(z.string())
    .transform((values) => values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter((v) => v !== ""))
    .pipe(z.array(item, { error: `invalid ${what}` }));

const registry = z
  .string()
  .refine((r) => !/^[a-z]+:\/\//i.test(r), "a registry is a host or host/path prefix, without a scheme (registry.example.com/team)")
  .refine((r) => /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?(:\d+)?(\/[a-z0-9._\/-]+)?$/i.test(r), "not a registry host or host/path prefix");

const namespaceName = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "not a namespace name (lowercase letters, digits and -)");

const settingsSchema = z.object({
  target: z.string().min(1),
  format: z.enum(FORMATS, { error: (issue) => `unknown --format ${String(issue.input)} (available: ${FORMATS.join(", ")})` }),
  output: z.string().min(1, "--output needs a file name").optional(),
  failUnder: z
    .string()
    .regex(/^\d+(\.\d+)?$/, "--fail-under must be a number from 0 to 100")
    .transform(Number)
    .pipe(z.number().max(100, "--fail-under must be a number from 0 to 100"))
    .optional(),
  exceptions: z.string().min(1, "--exceptions needs a file name").optional(),
  allowedRegistries: listOption("--allowed-registries", registry).optional(),
  skipNamespaces: listOption("--skip-namespaces", namespaceName).optional(),
  top: z.string().regex(/^\d+$/, "--top must be a whole number").transform(Number).optional(),
});

export type ScanSettings = z.output<typeof settingsSchema>;

export type ParsedArgs = { help: true } | { help: false; settings: ScanSettings };

/** Throws UsageError with a one-line message. */
export function parseScanArgs(argv: readonly string[]): ParsedArgs {
  let values: Record<string, string | string[] | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: {
        format: { type: "string", default: "json" },
        output: { type: "string", short: "o" },
        "fail-under": { type: "string" },
        exceptions: { type: "string" },
        "allowed-registries": { type: "string", multiple: true },
        "skip-namespaces": { type: "string", multiple: true },
        top: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message.replace(/\. To specify.*$/s, "") : String(err));
  }
  if (values.help) return { help: true };
  if (positionals.length !== 1) throw new UsageError(`expected one target (a file, a directory or -), got ${positionals.length}`);
  const result = settingsSchema.safeParse({
    target: positionals[0],
    format: values.format,
    output: values.output,
    failUnder: values["fail-under"],
    exceptions: values.exceptions,
    allowedRegistries: values["allowed-registries"],
    skipNamespaces: values["skip-namespaces"],
    top: values.top,
  });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const option = OPTION_OF[String(issue.path[0])] ?? String(issue.path[0]);
    const bad = issue.path.length > 1 && typeof issue.path[1] === "number" ? describeListItem(values, String(issue.path[0]), issue.path[1]) : "";
    throw new UsageError(issue.message.includes("--") && bad === "" ? issue.message : `${option}${bad}: ${issue.message}`);
  }
  return { help: false, settings: result.data };
}

const OPTION_OF: Record<string, string> = {
  target: "target",
  format: "--format",
  output: "--output",
  failUnder: "--fail-under",
  exceptions: "--exceptions",
  allowedRegistries: "--allowed-registries",
  skipNamespaces: "--skip-namespaces",
  top: "--top",
};

function describeListItem(values: Record<string, unknown>, key: string, index: number): string {
  const raw = values[key === "allowedRegistries" ? "allowed-registries" : "skip-namespaces"];
  const items = (Array.isArray(raw) ? raw : []).flatMap((v: string) => v.split(",")).map((v: string) => v.trim()).filter((v: string) => v !== "");
  const item = items[index];
  return item === undefined ? "" : ` "${item}"`;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
