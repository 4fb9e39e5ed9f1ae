/** Entry point of `npm run scan -- <target>`; the work is in scan-command.ts. */
import { scanCommand } from "@/lib/engine/cli/scan-command";

const code = await scanCommand(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdin: process.stdin,
  now: () => new Date(),
});
process.exitCode = code;
