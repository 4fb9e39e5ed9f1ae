/**
 * `ramparts scan <file|dir|->`: reads manifests, kubectl output or a snapshot,
 * evaluates them and prints the report. Exit codes: 0 done, 1 reserved for
 * --fail-under (phase 2), 2 bad usage or bad input (one clear line, no stack trace),
 * 3 internal error.
 */
import { parseArgs } from "node:util";
import { readInputs } from "@/lib/engine/io/read-inputs";
import { InputError } from "@/lib/engine/inputs/input-error";
import { evaluate } from "@/lib/engine/evaluate/evaluate";

export interface ScanIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin?: NodeJS.ReadableStream;
  now: () => Date;
}

const FORMATS = ["json"] as const;

export const SCAN_USAGE = `Usage: ramparts scan <file|directory|-> [--format json]

  <file>        a YAML or JSON manifest file, kubectl get -o json output, or an agent snapshot
  <directory>   every .yaml, .yml and .json file below it
  -             read from stdin (for example: helm template . | ramparts scan -)

Options:
  --format json   print the JSON report (docs/report-format.md)
  -h, --help      show this help
`;

export async function scanCommand(argv: readonly string[], io: ScanIo): Promise<number> {
  let values: { format?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...argv],
      options: { format: { type: "string", default: "json" }, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (err) {
    io.stderr(`ramparts scan: ${err instanceof Error ? err.message : String(err)}\n\n${SCAN_USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(SCAN_USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    io.stderr(`ramparts scan: expected one target (a file, a directory or -), got ${positionals.length}\n\n${SCAN_USAGE}`);
    return 2;
  }
  const format = values.format ?? "json";
  if (!(FORMATS as readonly string[]).includes(format)) {
    io.stderr(`ramparts scan: unknown --format ${format} (available: ${FORMATS.join(", ")})\n`);
    return 2;
  }
  const target = positionals[0]!;
  try {
    const input = await readInputs(target, { stdin: io.stdin });
    if (input.objects.length === 0) {
      io.stderr(`ramparts scan: ${target === "-" ? "<stdin>" : target}: no Kubernetes objects found\n`);
      return 2;
    }
    input.cluster = { name: target === "-" ? "<stdin>" : target, ...input.cluster };
    const report = evaluate(input, { now: io.now() });
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr(`ramparts scan: ${err.message}\n`);
      return 2;
    }
    io.stderr(`ramparts scan: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 3;
  }
}
