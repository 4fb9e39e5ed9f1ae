/** What bench/run.ts runs: one module per benchmark (engine, agent, ingest...). */
export interface BenchOptions {
  /** Object counts to measure, for benchmarks that take sizes. */
  sizes?: readonly number[];
  /** Runs per size (the best times are kept), for benchmarks that support it. */
  repeat?: number;
  /** Progress lines (stderr-like); the outcome's lines are the result. */
  log: (line: string) => void;
}

export interface BenchOutcome {
  /** False when a target was missed. */
  ok: boolean;
  /** The figures, ready to print (a table and notes). */
  lines: string[];
  /** Raw figures, for --json. */
  data: unknown;
}

export interface BenchModule {
  name: string;
  description: string;
  run(options: BenchOptions): Promise<BenchOutcome>;
}
