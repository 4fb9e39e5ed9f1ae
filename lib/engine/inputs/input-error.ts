/** A problem with an input that the user must fix: names the source and, when known, the line. */
export class InputError extends Error {
  readonly source: string;
  readonly line?: number;
  readonly column?: number;
  /** The problem alone, without the location prefix. */
  readonly problem: string;

  constructor(source: string, problem: string, position?: { line?: number; column?: number }) {
    const where = position?.line !== undefined ? `${source}:${position.line}${position.column !== undefined ? `:${position.column}` : ""}` : source;
    super(`${where}: ${problem}`);
    this.name = "InputError";
    this.source = source;
    this.problem = problem;
    this.line = position?.line;
    this.column = position?.column;
  }
}
