/** Entry point of `npm run scan -- <target>`; the work is in scan-command.ts. */
import { scanCommand } from "@/lib/engine/cli/scan-command";
import { processIo } from "@/lib/engine/cli/process-io";

process.exitCode = await scanCommand(process.argv.slice(2), processIo());
