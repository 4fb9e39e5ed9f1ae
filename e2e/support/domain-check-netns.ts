/**
 * The browser test's own isolated world for the public domain check (see domain-check-netns-world.ts):
 * a network namespace made for this run, holding the fixture servers, their DNS server, an instance of the
 * production build, and the browser (Chromium is started through `ip netns exec`, so it reaches the app on the
 * namespace's loopback; Playwright drives it over pipes, not the network). Needs root, as on CI.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import type { FixtureDomains } from "../../lib/domain-check/testing/fixture-world";

export interface DomainCheckNetns {
  name: string;
  appUrl: string;
  dnsServer: string;
  caFile: string;
  domains: FixtureDomains;
  /** Chromium inside the namespace. */
  chromiumPath: string;
  /** Runs a command inside the namespace. */
  exec(command: string, args: string[], options?: { timeoutMs?: number }): string;
  stop(): Promise<void>;
}

const DIR = path.resolve("test-results", "domain-check-netns");

export async function startDomainCheckNetns(options: { chromium: string; scansPerClient?: number }): Promise<DomainCheckNetns> {
  const name = `ramparts-e2e-${process.pid}`;
  try {
    execFileSync("ip", ["netns", "add", name], { stdio: "pipe" });
  } catch (error) {
    throw new Error(
      `The domain-check browser test needs a network namespace (\`ip netns add\`, as root, as on CI): ${(error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message}`,
    );
  }
  fs.mkdirSync(DIR, { recursive: true });
  let child: ChildProcess | undefined;
  /** Ends whatever still runs in our namespace (only processes this run started live there), then removes it. */
  const removeNamespace = async () => {
    const pids = () => {
      try {
        return execFileSync("ip", ["netns", "pids", name], { encoding: "utf8" }).split(/\s+/).filter(Boolean).map(Number);
      } catch {
        return [];
      }
    };
    for (const signal of ["SIGTERM", "SIGKILL"] as const) {
      for (const pid of pids()) {
        try {
          process.kill(pid, signal);
        } catch {
          // Already exited.
        }
      }
      for (let i = 0; i < 50 && pids().length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    }
    try {
      execFileSync("ip", ["netns", "del", name], { stdio: "pipe" });
    } catch {
      // Already gone.
    }
  };
  try {
    child = spawn("ip", ["netns", "exec", name, path.join("node_modules", ".bin", "tsx"), "e2e/support/domain-check-netns-world.ts", "--dir", DIR, "--port", "3000", "--scans-per-client", String(options.scansPerClient ?? 4)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (chunk) => (stderr += chunk));
    const ready = await new Promise<{ appUrl: string; dnsServer: string; caFile: string; domains: FixtureDomains }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The namespace stack did not start within 120 s\n${stderr}`)), 120_000);
      readline.createInterface({ input: child!.stdout! }).once("line", (line) => {
        clearTimeout(timer);
        try {
          resolve(JSON.parse(line));
        } catch {
          reject(new Error(`Unexpected output from the namespace stack: ${line}\n${stderr}`));
        }
      });
      child!.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`The namespace stack exited with ${code}\n${stderr}`));
      });
    });
    const chromiumPath = path.join(DIR, "chromium-in-netns.sh");
    fs.writeFileSync(chromiumPath, `#!/bin/sh\nexec ip netns exec '${name}' '${options.chromium}' "$@"\n`, { mode: 0o755 });
    const running = child;
    return {
      name,
      ...ready,
      chromiumPath,
      exec: (command, args, execOptions = {}) => execFileSync("ip", ["netns", "exec", name, command, ...args], { encoding: "utf8", timeout: execOptions.timeoutMs ?? 60_000, maxBuffer: 32 * 1024 * 1024 }),
      stop: async () => {
        if (running.exitCode === null) {
          running.kill("SIGTERM");
          await Promise.race([new Promise((r) => running.once("exit", r)), new Promise((r) => setTimeout(r, 10_000))]);
          if (running.exitCode === null) running.kill("SIGKILL");
        }
        await removeNamespace();
      },
    };
  } catch (error) {
    child?.kill("SIGKILL");
    await removeNamespace();
    throw error;
  }
}
