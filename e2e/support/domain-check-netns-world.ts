/**
 * Runs INSIDE the browser test's network namespace (started by domain-check-netns.ts through `ip netns exec`):
 * gives the namespace's loopback interface public-looking addresses, starts the domain-check fixture world on
 * them (real ports 80/443, names under a real public TLD, its own DNS server), then the production build of
 * the app with its resolver pointed at that DNS server. Prints one JSON line when everything is ready and
 * runs until SIGTERM.
 *
 * Why this is faithful: the app runs unmodified, its public endpoint uses PUBLIC_TARGET_POLICY as always, and
 * it accepts these targets only because, inside this namespace, they ARE public names on public unicast
 * addresses. The namespace has no interface but `lo` and no route anywhere, so no packet can leave it.
 */
import { execFileSync, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { PUBLIC_FIXTURE_TLD, startFixtureWorld } from "../../lib/domain-check/testing/fixture-world";

/** Public unicast in ipaddr.js's terms; here they exist only on this namespace's loopback interface. */
const NETNS_HOST_PREFIX = "11.0.0";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i]!.replace(/^--/, ""), process.argv[i + 1] ?? "");
const dir = path.resolve(args.get("dir") ?? "test-results/domain-check-netns");
const port = Number(args.get("port") ?? 3000);
const scansPerClient = args.get("scans-per-client") ?? "4";

function ip(...argv: string[]): string {
  return execFileSync("ip", argv, { encoding: "utf8" });
}

// Refuse to run anywhere but in an isolated namespace: only a loopback interface, no routes out.
const links = ip("-o", "link", "show")
  .split("\n")
  .filter(Boolean)
  .map((line) => line.split(":")[1]!.trim().split("@")[0]);
if (links.length !== 1 || links[0] !== "lo") {
  process.stderr.write(`Refusing to start: this must run in an isolated network namespace (interfaces: ${links.join(", ")}).\n`);
  process.exit(1);
}
ip("link", "set", "lo", "up");
for (let n = 2; n <= 20; n++) ip("addr", "add", `${NETNS_HOST_PREFIX}.${n}/32`, "dev", "lo");

const world = await startFixtureWorld({ tld: PUBLIC_FIXTURE_TLD, hostAddress: (n) => `${NETNS_HOST_PREFIX}.${n}`, ports: { http: 80, https: 443 } });
fs.mkdirSync(dir, { recursive: true });
const caFile = path.join(dir, "fixture-ca.pem");
fs.writeFileSync(caFile, world.caBundlePem);
const dataDir = path.join(dir, "data");
fs.rmSync(dataDir, { recursive: true, force: true });

const appUrl = `http://127.0.0.1:${port}`;
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NODE_ENV: "production",
  RAMPARTS_MODE: "test",
  APP_URL: appUrl,
  NEXTAUTH_URL: appUrl,
  NEXTAUTH_SECRET: crypto.randomBytes(32).toString("base64url"),
  RAMPARTS_DATA_DIR: dataDir,
  LOG_LEVEL: "warn",
  DOMAIN_CHECK_DNS_SERVERS: world.dns.server,
  DOMAIN_CHECK_CA_FILE: caFile,
  DOMAIN_CHECK_SCANS_PER_CLIENT: scansPerClient,
};
const log = fs.openSync(path.join(dir, "app.log"), "w");
const app = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"], { env, stdio: ["ignore", log, log] });

const stop = async (code: number) => {
  app.kill("SIGTERM");
  await new Promise((r) => (app.exitCode !== null ? r(null) : app.once("exit", r)));
  await world.close();
  process.exit(code);
};
process.on("SIGTERM", () => void stop(0));
process.on("SIGINT", () => void stop(0));

const deadline = Date.now() + 90_000;
for (;;) {
  if (app.exitCode !== null) {
    process.stderr.write(`The app exited (${app.exitCode}):\n${fs.readFileSync(path.join(dir, "app.log"), "utf8").slice(-3000)}\n`);
    await stop(1);
  }
  const healthy = await fetch(`${appUrl}/api/health`).then((r) => r.ok, () => false);
  if (healthy) break;
  if (Date.now() > deadline) {
    process.stderr.write("The app did not become healthy within 90 s\n");
    await stop(1);
  }
  await new Promise((r) => setTimeout(r, 300));
}
process.stdout.write(`${JSON.stringify({ appUrl, dnsServer: world.dns.server, caFile, domains: world.domains })}\n`);
