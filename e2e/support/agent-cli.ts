/**
 * Runs the real agent CLI (`npm run agent -- …`) as a child process, as a person would from a
 * checkout: no in-process shortcuts. Rejects with the agent's output when it exits non-zero.
 */
import { spawn } from "node:child_process";

export interface AgentRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function runAgentCli(args: readonly string[], options: { timeoutMs?: number } = {}): Promise<AgentRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "-s", "agent", "--", ...args], { cwd: process.cwd(), env: { ...process.env, RAMPARTS_LOG_LEVEL: "warn" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      const run = { code: code ?? -1, stdout, stderr };
      if (code === 0) resolve(run);
      // Tokens never reach the output: the agent does not print them, and we pass it by argument only here.
      else reject(new Error(`agent ${args[0]} exited with ${code}:\n${stderr.slice(-3000)}`));
    });
  });
}
