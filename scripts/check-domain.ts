import { runCheckDomainCli } from "@/lib/domain-check/cli";

// Thin edge: all behaviour (and its tests) lives in lib/domain-check/cli.ts.
const code = await runCheckDomainCli(process.argv.slice(2), { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
process.exitCode = code;
