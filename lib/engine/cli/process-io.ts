/** The real process as the scan command's I/O: streams, clock, terminal colors, version. */
import { readFileSync } from "node:fs";
import type { ScanIo } from "@/lib/engine/cli/scan-command";

export function processIo(): ScanIo {
  // `ramparts scan ... | head`: a closed pipe ends the command quietly, not with a stack trace.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdin: process.stdin,
    now: () => new Date(),
    color: process.stdout.isTTY === true && !process.env.NO_COLOR,
    cwd: process.cwd(),
    version: packageVersion(),
  };
}

function packageVersion(): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}
