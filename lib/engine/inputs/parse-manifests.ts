/**
 * Parses Kubernetes manifests: multi-document YAML, JSON, `List` kinds (including
 * `kubectl get ... -A -o json` output and nested Lists), and rendered Helm output.
 * Records, for every object, its file, document and line so reports can point at it.
 *
 * YAML is read as YAML 1.1, like kubectl (sigs.k8s.io/yaml): `yes`/`on` are booleans
 * and `0644` is octal, so the engine sees what the API server would.
 */
import { LineCounter, parseAllDocuments, isMap, isSeq, type Document, type Node as YamlNode } from "yaml";
import type { KubeObject } from "@/lib/snapshot/schema";
import { isRecord, type UnknownRecord } from "@/lib/engine/model/kube";
import type { InputWarning, ObjectSource } from "@/lib/engine/model/engine-input";
import { InputError } from "@/lib/engine/inputs/input-error";

export interface ParsedManifests {
  objects: KubeObject[];
  /** Parallel to objects. */
  sources: ObjectSource[];
  warnings: InputWarning[];
}

type Locate = (node: YamlNode | undefined) => { line: number; column: number } | undefined;

interface Walk {
  source: string;
  out: ParsedManifests;
  locate: Locate;
}

export function parseManifests(text: string, source: string): ParsedManifests {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const out: ParsedManifests = { objects: [], sources: [], warnings: [] };
  const first = firstSignificantChar(body);
  if (first === "{" || first === "[") {
    let value: unknown;
    let jsonError: string | undefined;
    try {
      value = JSON.parse(body);
    } catch (err) {
      jsonError = err instanceof Error ? err.message : String(err);
    }
    if (jsonError === undefined) {
      const walk: Walk = { source, out, locate: () => undefined };
      collect(walk, value, undefined, 0, [], firstLineOf(body));
      return out;
    }
    // Not valid JSON: YAML (a superset) either reads it or locates the problem.
    parseYaml(body, source, out, jsonError);
    return out;
  }
  parseYaml(body, source, out, undefined);
  return out;
}

function parseYaml(text: string, source: string, out: ParsedManifests, jsonError: string | undefined): void {
  const lineCounter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter, version: "1.1", prettyErrors: true }) as Document.Parsed[];
  } catch (err) {
    throw new InputError(source, `cannot parse: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!Array.isArray(docs)) docs = [docs];
  const locate: Locate = (node) => {
    if (!node?.range) return undefined;
    const pos = lineCounter.linePos(node.range[0]);
    return { line: pos.line, column: pos.col };
  };
  const walk: Walk = { source, out, locate };
  docs.forEach((doc, index) => {
    const error = doc.errors[0];
    if (error) {
      const pos = error.linePos?.[0];
      const firstLine = error.message.split("\n")[0] ?? error.message;
      const problem = jsonError !== undefined ? `invalid JSON: ${truncate(jsonError, 200)}` : `invalid YAML: ${firstLine.replace(/ at line \d+, column \d+:?$/, "")}`;
      const hint = /\{\{/.test(text) ? " (this looks like an unrendered Helm template: render it with `helm template` and scan the output)" : "";
      throw new InputError(source, problem + hint, pos ? { line: pos.line, column: pos.col } : undefined);
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      throw new InputError(source, `cannot read document ${index + 1}: ${err instanceof Error ? err.message : String(err)}`, locate(doc.contents ?? undefined));
    }
    collect(walk, value, doc.contents ?? undefined, index, [], locate(doc.contents ?? undefined));
  });
}

function collect(
  walk: Walk,
  value: unknown,
  node: YamlNode | undefined,
  documentIndex: number,
  itemPath: (string | number)[],
  pos: { line: number; column: number } | undefined,
  listContext?: { kind: string; apiVersion: string },
): void {
  if (value === null || value === undefined) return; // empty document (comments only, `---` separators)
  if (Array.isArray(value)) {
    if (itemPath.length > 0) throw new InputError(walk.source, "expected a Kubernetes object, found a nested array", pos);
    // A bare top-level array of objects (for example jq output).
    const seq = node && isSeq(node) ? node : undefined;
    value.forEach((item, i) => {
      const itemNode = seq?.items[i] as YamlNode | undefined;
      collect(walk, item, itemNode, documentIndex, [i], walk.locate(itemNode) ?? pos);
    });
    return;
  }
  if (!isRecord(value)) {
    throw new InputError(walk.source, `expected a Kubernetes object (a mapping with apiVersion and kind), found ${describe(value)}`, pos);
  }
  let obj: UnknownRecord = value;
  if (listContext && obj.kind === undefined && obj.apiVersion === undefined) {
    // Typed lists from the API (PodList, ...) omit kind and apiVersion on their items.
    obj = { apiVersion: listContext.apiVersion, kind: listContext.kind, ...obj };
  }
  const kind = obj.kind;
  const apiVersion = obj.apiVersion;
  if (typeof kind !== "string" || typeof apiVersion !== "string" || kind === "" || apiVersion === "") {
    walk.out.warnings.push({ file: walk.source, line: pos?.line, message: "skipped a document that is not a Kubernetes object (no apiVersion and kind)" });
    return;
  }
  if (kind.endsWith("List") && Array.isArray(obj.items)) {
    const itemsNode = node && isMap(node) ? (node.get("items", true) as YamlNode | undefined) : undefined;
    const seq = itemsNode && isSeq(itemsNode) ? itemsNode : undefined;
    const inner = kind === "List" ? undefined : { kind: kind.slice(0, -"List".length), apiVersion };
    obj.items.forEach((item, i) => {
      const itemNode = seq?.items[i] as YamlNode | undefined;
      collect(walk, item, itemNode, documentIndex, [...itemPath, "items", i], walk.locate(itemNode), inner);
    });
    return;
  }
  const problem = (text: string) => new InputError(walk.source, pos ? text : `${locationWithoutLine(documentIndex, itemPath)}: ${text}`, pos);
  const metadata = obj.metadata;
  if (!isRecord(metadata)) throw problem(`${kind} has no metadata`);
  let name = metadata.name;
  if (name === undefined || name === "") {
    if (typeof metadata.generateName === "string" && metadata.generateName !== "") {
      name = metadata.generateName;
      obj = { ...obj, metadata: { ...metadata, name } };
      walk.out.warnings.push({ file: walk.source, line: pos?.line, message: `${kind} uses generateName; evaluated under the name "${String(name)}"` });
    } else {
      throw problem(`${kind} has no metadata.name`);
    }
  }
  if (typeof name !== "string") throw problem(`${kind} metadata.name must be a string${boolHint(name)}`);
  if (metadata.namespace !== undefined && typeof metadata.namespace !== "string") {
    throw problem(`${kind} ${name}: metadata.namespace must be a string${boolHint(metadata.namespace)}`);
  }
  for (const field of ["labels", "annotations"] as const) {
    const map = metadata[field];
    if (map === undefined || map === null) continue;
    if (!isRecord(map)) throw problem(`${kind} ${name}: metadata.${field} must be a mapping`);
    for (const [key, v] of Object.entries(map)) {
      if (typeof v !== "string") {
        throw problem(`${kind} ${name}: metadata.${field}["${key}"] must be a string (quote the value)${boolHint(v)}`);
      }
    }
  }
  walk.out.objects.push(obj as KubeObject);
  walk.out.sources.push({ file: walk.source, documentIndex, itemPath, line: pos?.line, column: pos?.column });
}

/** YAML 1.1, like kubectl, reads y/n/yes/no/on/off as booleans: say so when that is the likely cause. */
function boolHint(value: unknown): string {
  return typeof value === "boolean" ? " (YAML reads y, n, yes, no, on and off as booleans: quote the value)" : "";
}

function locationWithoutLine(documentIndex: number, itemPath: (string | number)[]): string {
  const path = itemPath.map((seg) => (typeof seg === "number" ? `[${seg}]` : `.${seg}`)).join("").replace(/^\./, "");
  return path === "" ? `document ${documentIndex + 1}` : path;
}

function firstSignificantChar(text: string): string | undefined {
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === " " || ch === "\n" || ch === "\r" || ch === "\t") continue;
    return ch;
  }
  return undefined;
}

function firstLineOf(text: string): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\n") {
      line++;
      column = 1;
    } else if (ch === " " || ch === "\t" || ch === "\r") column++;
    else break;
  }
  return { line, column };
}

function describe(value: unknown): string {
  if (typeof value === "string") return `the text ${JSON.stringify(truncate(value, 40))}`;
  return `a ${typeof value}`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
