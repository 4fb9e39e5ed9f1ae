/**
 * `ramparts scan <file|dir|->`: reads manifests, kubectl output or a snapshot,
 * evaluates them and prints the report in the chosen format. Exit codes: 0 done,
 * 1 score below --fail-under, 2 bad usage or bad input (one clear line naming the
 * file and the problem, no stack trace), 3 internal error.
 */
import { rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { readInputs } from "@/lib/engine/io/read-inputs";
import { readExceptionsFile } from "@/lib/engine/io/read-exceptions";
import { InputError } from "@/lib/engine/inputs/input-error";
import { evaluate } from "@/lib/engine/evaluate/evaluate";
import { checkById } from "@/lib/engine/checks/registry";
import { locateFindings, type FindingLocation } from "@/lib/engine/report/finding-locations";
import { formatTable } from "@/lib/engine/report/format-table";
import { formatMarkdown } from "@/lib/engine/report/format-markdown";
import { formatSarif } from "@/lib/engine/report/format-sarif";
import type { Report } from "@/lib/engine/report/report-types";
import { parseScanArgs, SCAN_USAGE, UsageError, type ScanSettings } from "@/lib/engine/cli/scan-settings";

export { SCAN_USAGE };

export interface ScanIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin?: NodeJS.ReadableStream;
  now: () => Date;
  /** Colors in the table format (the entry point sets it for terminals without NO_COLOR). */
  color?: boolean;
  /** Working directory: SARIF paths are made relative to it (default process.cwd()). */
  cwd?: string;
  /** Ramparts version, for SARIF's tool.driver.version. */
  version?: string;
}

export async function scanCommand(argv: readonly string[], io: ScanIo): Promise<number> {
  let settings: ScanSettings;
  try {
    const parsed = parseScanArgs(argv);
    if (parsed.help) {
      io.stdout(SCAN_USAGE);
      return 0;
    }
    settings = parsed.settings;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`ramparts scan: ${err.message}\n\n${SCAN_USAGE}`);
      return 2;
    }
    throw err;
  }

  try {
    const exceptions = settings.exceptions !== undefined ? await readExceptionsFile(settings.exceptions, { isKnownCheck: (id) => checkById(id) !== undefined }) : undefined;
    const texts = settings.format === "sarif" || settings.format === "table" || settings.format === "markdown" ? new Map<string, string>() : undefined;
    const target = settings.target;
    const input = await readInputs(target, { stdin: io.stdin, onText: texts ? (file, text) => texts.set(file, text) : undefined });
    if (input.objects.length === 0) {
      io.stderr(`ramparts scan: ${target === "-" ? "<stdin>" : target}: no Kubernetes objects found\n`);
      return 2;
    }
    input.cluster = { name: target === "-" ? "<stdin>" : target, ...input.cluster };
    const report = evaluate(input, {
      now: io.now(),
      exceptions,
      ...(settings.allowedRegistries !== undefined ? { allowedRegistries: settings.allowedRegistries } : {}),
      ...(settings.skipNamespaces !== undefined ? { skipNamespaces: settings.skipNamespaces } : {}),
    });
    const locations = texts ? locateFindings(report.findings, input, texts) : undefined;
    const text = render(report, settings, io, locations);
    if (settings.output !== undefined) await writeAtomically(settings.output, text);
    else io.stdout(text);
    if (settings.failUnder !== undefined && report.score < settings.failUnder) {
      io.stderr(`ramparts scan: score ${report.score} is below --fail-under ${settings.failUnder}\n`);
      return 1;
    }
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

function render(report: Report, settings: ScanSettings, io: ScanIo, locations: (FindingLocation | undefined)[] | undefined): string {
  const fieldLine = (i: number) => locations?.[i]?.line;
  switch (settings.format) {
    case "json":
      return `${JSON.stringify(report, null, 2)}\n`;
    case "table":
      return formatTable(report, { color: io.color === true && settings.output === undefined, top: settings.top, fieldLine });
    case "markdown":
      return formatMarkdown(report, { fieldLine });
    case "sarif": {
      const cwd = io.cwd ?? process.cwd();
      const sarif = formatSarif(report, { checkById, locations, artifactUri: (file) => artifactUri(file, cwd), toolVersion: io.version });
      return `${JSON.stringify(sarif, null, 2)}\n`;
    }
  }
}

/** Relative URI (forward slashes) for files under cwd, a file:// URL otherwise. */
function artifactUri(file: string, cwd: string): string {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  if (rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel)) return rel.split(path.sep).map(encodeURIComponent).join("/");
  return pathToFileURL(abs).href;
}

/** Writes the whole report or nothing: a temporary file in the same directory, then a rename. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, text, { mode: 0o644 });
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    throw new InputError(file, code === "ENOENT" ? "cannot write the report: no such directory" : code === "EACCES" ? "cannot write the report: permission denied" : code === "EISDIR" ? "cannot write the report: is a directory" : `cannot write the report: ${err instanceof Error ? err.message : String(err)}`);
  }
}
