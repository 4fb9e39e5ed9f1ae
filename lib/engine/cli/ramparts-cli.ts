/** `ramparts <command>`: the package bin (bin/ramparts.mjs). One command for now: scan. */
import { scanCommand, SCAN_USAGE, type ScanIo } from "@/lib/engine/cli/scan-command";

const USAGE = `Usage: ramparts <command> [options]

Commands:
  scan <file|directory|->   score Kubernetes manifests, kubectl output or an agent snapshot

Run "ramparts scan --help" for the scan options.
`;

export async function rampartsCli(argv: readonly string[], io: ScanIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "scan") return scanCommand(rest, io);
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    io.stdout(`${USAGE}\n${SCAN_USAGE}`);
    return command === undefined ? 2 : 0;
  }
  if (command === "--version" || command === "-v") {
    io.stdout(`${io.version ?? "unknown"}\n`);
    return 0;
  }
  io.stderr(`ramparts: unknown command "${command}"\n\n${USAGE}`);
  return 2;
}
