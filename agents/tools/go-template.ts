/**
 * A small renderer for the subset of Go templates (and Helm/Sprig functions) that agents/chart
 * uses, so agents/deploy can be rendered from the chart on machines without Helm (this one has
 * no Helm and no way to download it). It fails loudly on anything outside the subset rather
 * than guess; keep the chart's templates inside it:
 *   actions with {{- -}} trimming and comments; if / else if / else; with; range (over lists,
 *   with or without `$v :=` / `$i, $v :=`); define / include; `$v := pipeline`;
 *   pipelines, parentheses, .Field paths, $ and $var paths, string/number/bool literals;
 *   functions: include toYaml nindent indent quote squote default required printf mod
 *   adler32sum trunc trimSuffix toString int empty not eq ne and or list has join
 */
import { stringify as stringifyYaml } from "yaml";

type Value = unknown;
type Node =
  | { type: "text"; text: string }
  | { type: "action"; pipe: Pipe }
  | { type: "assign"; name: string; pipe: Pipe }
  | { type: "if"; branches: Array<{ cond: Pipe; body: Node[] }>; otherwise: Node[] }
  | { type: "with"; pipe: Pipe; body: Node[]; otherwise: Node[] }
  | { type: "range"; keyVar?: string; valueVar?: string; pipe: Pipe; body: Node[]; otherwise: Node[] }
  | { type: "define"; name: string; body: Node[] };
type Operand = { kind: "field"; base: "dot" | string; path: string[] } | { kind: "literal"; value: Value } | { kind: "ident"; name: string } | { kind: "paren"; pipe: Pipe };
type Command = Operand[];
type Pipe = Command[];

export class TemplateError extends Error {
  override name = "TemplateError";
}

// ---------------------------------------------------------------- lexing actions
interface RawAction {
  text: string;
}
type Piece = { kind: "text"; text: string } | { kind: "action"; body: string };

function splitActions(source: string, file: string): Piece[] {
  const pieces: Piece[] = [];
  let pos = 0;
  while (pos < source.length) {
    const open = source.indexOf("{{", pos);
    if (open === -1) {
      pieces.push({ kind: "text", text: source.slice(pos) });
      break;
    }
    let text = source.slice(pos, open);
    let start = open + 2;
    if (source[start] === "-" && /\s/.test(source[start + 1] ?? "")) {
      text = text.replace(/\s+$/, "");
      start += 1;
    }
    pieces.push({ kind: "text", text });
    const close = findClose(source, start, file);
    let end = close;
    let after = close + 2;
    if (source[close - 1] === "-" && /\s/.test(source[close - 2] ?? "")) {
      end = close - 1;
      while (after < source.length && /\s/.test(source[after] as string)) after++;
    }
    pieces.push({ kind: "action", body: source.slice(start, end).trim() });
    pos = after;
  }
  return pieces;
}

function findClose(source: string, from: number, file: string): number {
  let i = from;
  let quote: string | null = null;
  while (i < source.length) {
    const c = source[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "`") quote = c;
    else if (c === "}" && source[i + 1] === "}") return i;
    i++;
  }
  throw new TemplateError(`${file}: unclosed action`);
}

// ---------------------------------------------------------------- tokens and expressions
type Token = { t: "str"; v: string } | { t: "num"; v: number } | { t: "field"; v: string } | { t: "var"; v: string } | { t: "ident"; v: string } | { t: "(" } | { t: ")" } | { t: "|" } | { t: ":=" } | { t: "," };

function tokenize(body: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let out = "";
      while (j < body.length && body[j] !== '"') {
        if (body[j] === "\\") {
          const n = body[j + 1];
          out += n === "n" ? "\n" : n === "t" ? "\t" : (n ?? "");
          j += 2;
        } else out += body[j++];
      }
      tokens.push({ t: "str", v: out });
      i = j + 1;
      continue;
    }
    if (c === "`") {
      const j = body.indexOf("`", i + 1);
      tokens.push({ t: "str", v: body.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    if (c === "(" || c === ")" || c === "|" || c === ",") {
      tokens.push({ t: c });
      i++;
      continue;
    }
    if (c === ":" && body[i + 1] === "=") {
      tokens.push({ t: ":=" });
      i += 2;
      continue;
    }
    const word = /^[.$]?[A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*/.exec(body.slice(i))?.[0] ?? "";
    if (!word) throw new TemplateError(`${file}: unexpected "${c}" in {{ ${body} }}`);
    if (/^-?\d+$/.test(word)) tokens.push({ t: "num", v: Number(word) });
    else if (word.startsWith(".")) tokens.push({ t: "field", v: word });
    else if (word.startsWith("$")) tokens.push({ t: "var", v: word });
    else tokens.push({ t: "ident", v: word });
    i += word.length;
  }
  return tokens;
}

function parsePipe(tokens: Token[], pos: { i: number }, file: string): Pipe {
  const pipe: Pipe = [];
  let command: Command = [];
  while (pos.i < tokens.length) {
    const tok = tokens[pos.i] as Token;
    if (tok.t === ")") break;
    pos.i++;
    if (tok.t === "|") {
      if (command.length === 0) throw new TemplateError(`${file}: empty command before |`);
      pipe.push(command);
      command = [];
      continue;
    }
    if (tok.t === "(") {
      const inner = parsePipe(tokens, pos, file);
      if (tokens[pos.i]?.t !== ")") throw new TemplateError(`${file}: missing )`);
      pos.i++;
      command.push({ kind: "paren", pipe: inner });
      continue;
    }
    if (tok.t === "str" || tok.t === "num") command.push({ kind: "literal", value: tok.v });
    else if (tok.t === "field") command.push({ kind: "field", base: "dot", path: tok.v.split(".").filter(Boolean) });
    else if (tok.t === "var") {
      const [name, ...path] = tok.v.split(".");
      command.push({ kind: "field", base: name as string, path });
    } else if (tok.t === "ident") {
      if (tok.v === "true" || tok.v === "false") command.push({ kind: "literal", value: tok.v === "true" });
      else if (tok.v === "nil") command.push({ kind: "literal", value: null });
      else command.push({ kind: "ident", name: tok.v });
    } else throw new TemplateError(`${file}: unexpected token ${tok.t}`);
  }
  if (command.length > 0) pipe.push(command);
  if (pipe.length === 0) throw new TemplateError(`${file}: empty pipeline`);
  return pipe;
}

function expr(body: string, file: string): Pipe {
  const tokens = tokenize(body, file);
  const pos = { i: 0 };
  const pipe = parsePipe(tokens, pos, file);
  if (pos.i !== tokens.length) throw new TemplateError(`${file}: unexpected ) in {{ ${body} }}`);
  return pipe;
}

// ---------------------------------------------------------------- parsing the tree
function parseTree(pieces: Piece[], file: string): { nodes: Node[]; defines: Map<string, Node[]> } {
  const defines = new Map<string, Node[]>();
  let i = 0;
  function block(stops: string[]): { nodes: Node[]; stop: string; stopBody: string } {
    const nodes: Node[] = [];
    while (i < pieces.length) {
      const piece = pieces[i++] as Piece;
      if (piece.kind === "text") {
        if (piece.text) nodes.push({ type: "text", text: piece.text });
        continue;
      }
      const body = piece.body;
      if (body.startsWith("/*")) continue;
      const keyword = /^(if|else if|else|end|with|range|define)\b/.exec(body)?.[1];
      if (keyword && stops.includes(keyword)) return { nodes, stop: keyword, stopBody: body.slice(keyword.length).trim() };
      if (keyword === "if" || keyword === "with") {
        const branches: Array<{ cond: Pipe; body: Node[] }> = [];
        let cond = expr(body.slice(keyword.length), file);
        const otherwise: Node[] = [];
        for (;;) {
          const inner = block(keyword === "if" ? ["else if", "else", "end"] : ["else", "end"]);
          branches.push({ cond, body: inner.nodes });
          if (inner.stop === "else if") {
            cond = expr(inner.stopBody, file);
            continue;
          }
          if (inner.stop === "else") otherwise.push(...block(["end"]).nodes);
          break;
        }
        if (keyword === "if") nodes.push({ type: "if", branches, otherwise });
        else nodes.push({ type: "with", pipe: (branches[0] as { cond: Pipe }).cond, body: (branches[0] as { body: Node[] }).body, otherwise });
        continue;
      }
      if (keyword === "range") {
        const rest = body.slice(5).trim();
        const decl = /^(\$\w+)(?:\s*,\s*(\$\w+))?\s*:=\s*([\s\S]+)$/.exec(rest);
        const inner = block(["else", "end"]);
        const otherwise = inner.stop === "else" ? block(["end"]).nodes : [];
        if (decl) {
          const twoVars = decl[2] !== undefined;
          nodes.push({ type: "range", keyVar: twoVars ? decl[1] : undefined, valueVar: twoVars ? decl[2] : decl[1], pipe: expr(decl[3] as string, file), body: inner.nodes, otherwise });
        } else nodes.push({ type: "range", pipe: expr(rest, file), body: inner.nodes, otherwise });
        continue;
      }
      if (keyword === "define") {
        const name = /^define\s+"([^"]+)"$/.exec(body)?.[1];
        if (!name) throw new TemplateError(`${file}: bad define`);
        defines.set(name, block(["end"]).nodes);
        continue;
      }
      if (keyword) throw new TemplateError(`${file}: unexpected {{ ${body} }}`);
      const assign = /^(\$\w+)\s*:=\s*([\s\S]+)$/.exec(body);
      if (assign) nodes.push({ type: "assign", name: assign[1] as string, pipe: expr(assign[2] as string, file) });
      else nodes.push({ type: "action", pipe: expr(body, file) });
    }
    if (stops.length > 0) throw new TemplateError(`${file}: missing {{ end }}`);
    return { nodes, stop: "", stopBody: "" };
  }
  const { nodes } = block([]);
  return { nodes, defines };
}

// ---------------------------------------------------------------- evaluation
export function truthy(v: Value): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v as object).length > 0;
  return true;
}

function toText(v: Value): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") throw new TemplateError("cannot print a map or list directly: use toYaml");
  return String(v);
}

function adler32(text: string): number {
  let a = 1;
  let b = 0;
  for (const byte of Buffer.from(text, "utf8")) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

function toInt(v: Value): number {
  const n = typeof v === "number" ? v : Number(String(v));
  if (!Number.isFinite(n)) throw new TemplateError(`not a number: ${String(v)}`);
  return Math.trunc(n);
}

function goPrintf(format: string, args: Value[]): string {
  let i = 0;
  return format.replace(/%[sdvq%]/g, (spec) => {
    if (spec === "%%") return "%";
    const arg = args[i++];
    if (spec === "%q") return JSON.stringify(toText(arg));
    if (spec === "%d") return String(toInt(arg));
    return toText(arg);
  });
}

export interface RenderContext {
  Values: Record<string, unknown>;
  Release: { Name: string; Namespace: string; Service?: string };
  Chart: { Name: string; Version: string; AppVersion: string };
  Template?: { Name: string };
}

export class TemplateSet {
  private readonly defines = new Map<string, Node[]>();
  private readonly templates = new Map<string, Node[]>();

  add(file: string, source: string): void {
    const { nodes, defines } = parseTree(splitActions(source, file), file);
    for (const [name, body] of defines) this.defines.set(name, body);
    this.templates.set(file, nodes);
  }

  render(file: string, root: RenderContext): string {
    const nodes = this.templates.get(file);
    if (!nodes) throw new TemplateError(`no template ${file}`);
    return this.exec(nodes, root, new Map([["$", root]]));
  }

  private exec(nodes: Node[], dot: Value, vars: Map<string, Value>): string {
    let out = "";
    for (const node of nodes) {
      switch (node.type) {
        case "text":
          out += node.text;
          break;
        case "action":
          out += toText(this.pipe(node.pipe, dot, vars));
          break;
        case "assign":
          vars.set(node.name, this.pipe(node.pipe, dot, vars));
          break;
        case "if": {
          const branch = node.branches.find((b) => truthy(this.pipe(b.cond, dot, vars)));
          out += this.exec(branch ? branch.body : node.otherwise, dot, new Map(vars));
          break;
        }
        case "with": {
          const value = this.pipe(node.pipe, dot, vars);
          out += truthy(value) ? this.exec(node.body, value, new Map(vars)) : this.exec(node.otherwise, dot, new Map(vars));
          break;
        }
        case "range": {
          const value = this.pipe(node.pipe, dot, vars);
          const entries: Array<[Value, Value]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : value && typeof value === "object" ? Object.keys(value).sort().map((k) => [k, (value as Record<string, Value>)[k]]) : [];
          if (entries.length === 0) out += this.exec(node.otherwise, dot, new Map(vars));
          for (const [key, item] of entries) {
            const scope = new Map(vars);
            if (node.keyVar) scope.set(node.keyVar, key);
            if (node.valueVar) scope.set(node.valueVar, item);
            out += this.exec(node.body, item, scope);
          }
          break;
        }
        case "define":
          break;
      }
    }
    return out;
  }

  private operand(op: Operand, dot: Value, vars: Map<string, Value>): Value {
    switch (op.kind) {
      case "literal":
        return op.value;
      case "paren":
        return this.pipe(op.pipe, dot, vars);
      case "field": {
        let value: Value = op.base === "dot" ? dot : vars.get(op.base);
        if (op.base !== "dot" && !vars.has(op.base)) throw new TemplateError(`undefined variable ${op.base}`);
        for (const key of op.path) {
          if (value === null || value === undefined) return undefined;
          if (typeof value !== "object") throw new TemplateError(`cannot read .${key} of a ${typeof value}`);
          value = (value as Record<string, Value>)[key];
        }
        return value;
      }
      case "ident":
        return this.call(op.name, [], dot, vars);
    }
  }

  private pipe(pipe: Pipe, dot: Value, vars: Map<string, Value>): Value {
    let previous: Value;
    let first = true;
    for (const command of pipe) {
      const [head, ...rest] = command;
      if (!head) throw new TemplateError("empty command");
      const args = rest.map((op) => this.operand(op, dot, vars));
      if (!first) args.push(previous);
      if (head.kind === "ident") previous = this.call(head.name, args, dot, vars);
      else {
        if (args.length > 0) throw new TemplateError("only functions take arguments");
        previous = this.operand(head, dot, vars);
      }
      first = false;
    }
    return previous;
  }

  private call(name: string, args: Value[], _dot: Value, _vars: Map<string, Value>): Value {
    const a = (i: number) => args[i];
    switch (name) {
      case "include": {
        const body = this.defines.get(String(a(0)));
        if (!body) throw new TemplateError(`include of undefined template "${String(a(0))}"`);
        return this.exec(body, a(1), new Map([["$", a(1)]]));
      }
      case "toYaml": {
        if (a(0) === undefined || a(0) === null) return "null";
        return stringifyYaml(a(0), { sortMapEntries: true, lineWidth: 0 }).replace(/\n$/, "");
      }
      case "nindent":
        return `\n${this.call("indent", args, _dot, _vars)}`;
      case "indent": {
        const pad = " ".repeat(toInt(a(0)));
        return toText(a(1)).split("\n").map((line) => pad + line).join("\n");
      }
      case "quote":
        return args.map((v) => JSON.stringify(toText(v))).join(" ");
      case "squote":
        return args.map((v) => `'${toText(v)}'`).join(" ");
      case "default":
        return truthy(a(1)) ? a(1) : a(0);
      case "required":
        if (!truthy(a(1))) throw new TemplateError(String(a(0)));
        return a(1);
      case "printf":
        return goPrintf(String(a(0)), args.slice(1));
      case "mod":
        return toInt(a(0)) % toInt(a(1));
      case "adler32sum":
        return String(adler32(toText(a(0))));
      case "trunc": {
        const n = toInt(a(0));
        const s = toText(a(1));
        return n >= 0 ? s.slice(0, n) : s.slice(n);
      }
      case "trimSuffix": {
        const suffix = toText(a(0));
        const s = toText(a(1));
        return suffix && s.endsWith(suffix) ? s.slice(0, -suffix.length) : s;
      }
      case "toString":
        return toText(a(0));
      case "int":
        return toInt(a(0));
      case "empty":
        return !truthy(a(0));
      case "not":
        return !truthy(a(0));
      case "eq":
        return args.slice(1).some((v) => v === a(0));
      case "ne":
        return a(0) !== a(1);
      case "and":
        return args.reduce((acc: Value, v) => (truthy(acc) ? v : acc), true);
      case "or":
        return args.find((v) => truthy(v)) ?? args[args.length - 1];
      case "list":
        return [...args];
      case "has":
        return Array.isArray(a(1)) && (a(1) as Value[]).includes(a(0));
      case "join":
        return Array.isArray(a(1)) ? (a(1) as Value[]).map(toText).join(toText(a(0))) : "";
      default:
        throw new TemplateError(`function "${name}" is outside the supported subset`);
    }
  }
}

export type { RawAction };
