/**
 * Logs are JSON lines on stderr (stdout may carry a snapshot). A terminal also gets a one-line
 * progress display that log lines clear before they print. Callers never log object data.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** Transient progress text (terminal only). */
  progress(text: string): void;
  /** Clears the progress line. */
  done(): void;
}

export interface LoggerOptions {
  write?: (line: string) => void;
  isTTY?: boolean;
  level?: LogLevel;
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(options: LoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const isTTY = options.isTTY ?? process.stderr.isTTY === true;
  const minimum = LEVELS[options.level ?? "info"];
  let progressShown = false;
  let lastProgressAt = 0;

  function clearProgress(): void {
    if (progressShown) {
      write("\r\x1b[K");
      progressShown = false;
    }
  }

  function log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
    if (LEVELS[level] < minimum) return;
    clearProgress();
    write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  }

  return {
    debug: (m, f) => log("debug", m, f),
    info: (m, f) => log("info", m, f),
    warn: (m, f) => log("warn", m, f),
    error: (m, f) => log("error", m, f),
    progress(text) {
      if (!isTTY) return;
      const now = Date.now();
      if (now - lastProgressAt < 100) return;
      lastProgressAt = now;
      write(`\r\x1b[K${text.slice(0, 120)}`);
      progressShown = true;
    },
    done: clearProgress,
  };
}

/** A logger that keeps lines in memory: for tests and for callers that print elsewhere. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({ write: (line) => lines.push(line), isTTY: false, level: "debug" });
  return Object.assign(logger, { lines });
}
