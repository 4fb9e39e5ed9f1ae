/**
 * Reads scan targets from disk or stdin: a file, a directory (recursive: .yaml,
 * .yml and .json files, hidden folders and node_modules skipped), or "-" for stdin.
 * A JSON file holding an agent snapshot is read as a snapshot; everything else as manifests.
 */
import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import type { EngineInput } from "@/lib/engine/model/engine-input";
import { InputError } from "@/lib/engine/inputs/input-error";
import { parseManifests } from "@/lib/engine/inputs/parse-manifests";
import { looksLikeSnapshot, parseSnapshot, snapshotToEngineInput } from "@/lib/engine/inputs/snapshot-input";
import { mergeInputs } from "@/lib/engine/inputs/merge-inputs";

const MANIFEST_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

export interface ReadInputsOptions {
  /** Stream read for "-" (defaults to process.stdin). */
  stdin?: NodeJS.ReadableStream;
  /** Receives the text of every file read (and of stdin), keyed as findings' `source.file`: SARIF resolves field lines from it. */
  onText?: (source: string, text: string) => void;
}

export async function readInputs(target: string, options: ReadInputsOptions = {}): Promise<EngineInput> {
  if (target === "-") {
    const text = await readStream(options.stdin ?? process.stdin);
    options.onText?.("<stdin>", text);
    return parseText(text, "<stdin>");
  }
  let info;
  try {
    info = await stat(target);
  } catch (err) {
    throw new InputError(target, describeFsError(err));
  }
  if (info.isDirectory()) {
    const files = await listManifestFiles(target);
    if (files.length === 0) throw new InputError(target, "no .yaml, .yml or .json files in this directory");
    const inputs: EngineInput[] = [];
    for (const file of files) inputs.push(await readFileInput(file, options));
    return mergeInputs(inputs);
  }
  return readFileInput(target, options);
}

async function readFileInput(file: string, options: ReadInputsOptions): Promise<EngineInput> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new InputError(file, describeFsError(err));
  }
  options.onText?.(file, text);
  return parseText(text, file);
}

/** Parses the text of one file or of stdin. */
export function parseText(text: string, source: string): EngineInput {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") && /"schemaVersion"\s*:/.test(trimmed.slice(0, 4096))) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined; // parseManifests reports the syntax error with its line
    }
    if (value !== undefined && looksLikeSnapshot(value)) return snapshotToEngineInput(parseSnapshot(value, source));
  }
  return parseManifests(text, source);
}

async function listManifestFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listManifestFiles(full)));
    else if (entry.isFile() && MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) out.push(full);
  }
  return out;
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  return err instanceof Error ? err.message : String(err);
}
