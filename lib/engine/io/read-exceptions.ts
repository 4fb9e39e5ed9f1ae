/**
 * Reads an exceptions file for `ramparts scan --exceptions <file>`: YAML or JSON, either
 * a list of exception rules or an object `{ exceptions: [...] }`. Every rule is
 * validated (exceptions/exception-rule.ts); an error names the file, the line and the
 * field: "exceptions.yaml:7: exceptions[1].reason: reason is required".
 */
import { readFile } from "node:fs/promises";
import { parseAllDocuments } from "yaml";
import type { z } from "zod";
import { exceptionRulesSchema, type ExceptionRule } from "@/lib/engine/exceptions/exception-rule";
import { InputError } from "@/lib/engine/inputs/input-error";
import { createFieldLocator } from "@/lib/engine/inputs/field-locator";
import { isRecord, joinPath } from "@/lib/engine/model/kube";

export interface ParseExceptionsOptions {
  /** When given, a rule naming a check id this returns false for is an error (a typo would silently except nothing). */
  isKnownCheck?: (id: string) => boolean;
}

export async function readExceptionsFile(file: string, options: ParseExceptionsOptions = {}): Promise<ExceptionRule[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException | undefined)?.code;
    throw new InputError(file, code === "ENOENT" ? "no such file or directory" : code === "EISDIR" ? "is a directory, expected a YAML or JSON file" : err instanceof Error ? err.message : String(err));
  }
  return parseExceptions(text, file, options);
}

/** Parses and validates the text of an exceptions file. */
export function parseExceptions(text: string, file: string, options: ParseExceptionsOptions = {}): ExceptionRule[] {
  // YAML 1.2 core schema: dates and yes/no stay strings, so the schema sees what was written.
  const docs = parseAllDocuments(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, { prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const nonEmpty = list.filter((d) => d.contents !== null);
  if (nonEmpty.length === 0) throw new InputError(file, "the exceptions file is empty: expected a list of exception rules");
  if (nonEmpty.length > 1) throw new InputError(file, "expected one YAML document (a list of exception rules), found several");
  const doc = nonEmpty[0]!;
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    throw new InputError(file, `invalid YAML: ${(error.message.split("\n")[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, "")}`, pos ? { line: pos.line, column: pos.col } : undefined);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  let rules: unknown;
  let base: string;
  if (Array.isArray(value)) {
    rules = value;
    base = "";
  } else if (isRecord(value) && Array.isArray(value.exceptions) && Object.keys(value).length === 1) {
    rules = value.exceptions;
    base = "exceptions";
  } else {
    throw new InputError(file, "expected a list of exception rules, or an object with one key `exceptions` holding that list");
  }
  const locate = (fieldPath: string) => createFieldLocator(text)({ documentIndex: list.findIndex((d) => d === doc), itemPath: [] }, fieldPath);
  const result = exceptionRulesSchema.safeParse(rules);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.reduce<string>((acc, seg) => joinPath(acc, typeof seg === "number" ? seg : String(seg)), base);
    return fail(file, `${path === "" ? "" : `${path}: `}${describeIssue(issue)}`, locate(issuePath(base, issue)));
  }
  if (options.isKnownCheck) {
    const at = result.data.findIndex((r) => r.checkId !== "*" && !options.isKnownCheck!(r.checkId));
    if (at !== -1) {
      const path = joinPath(joinPath(base, at), "checkId");
      return fail(file, `${path}: no check has the id "${result.data[at]!.checkId}"`, locate(path));
    }
  }
  return result.data;
}

function fail(file: string, problem: string, pos: { line: number; column: number } | undefined): never {
  throw new InputError(file, problem, pos ? { line: pos.line, column: pos.column } : undefined);
}

/** Path to locate: for an unknown key, the key itself; otherwise the field. */
function issuePath(base: string, issue: z.core.$ZodIssue): string {
  let p = issue.path.reduce<string>((acc, seg) => joinPath(acc, typeof seg === "number" ? seg : String(seg)), base);
  if (issue.code === "unrecognized_keys" && issue.keys[0] !== undefined) p = joinPath(p, issue.keys[0]);
  return p;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")} (allowed: id, checkId, namespace, kind, name, labels, container, reason, expiresAt)`;
  }
  if (issue.code === "invalid_type" && /received undefined$/.test(issue.message)) return `${String(issue.path[issue.path.length - 1] ?? "value")} is required`;
  return issue.message;
}
