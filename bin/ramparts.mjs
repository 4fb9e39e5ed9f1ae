#!/usr/bin/env node
// The `ramparts` command (package.json "bin"): runs the TypeScript CLI through tsx, with the
// repository's tsconfig so the "@/" import alias resolves wherever it is called from.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
const { rampartsCli } = await import("../lib/engine/cli/ramparts-cli.ts");
const { processIo } = await import("../lib/engine/cli/process-io.ts");
process.exitCode = await rampartsCli(process.argv.slice(2), processIo());
