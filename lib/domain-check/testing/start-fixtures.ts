import { writeFile } from "node:fs/promises";
import { FIXTURE_DOMAINS, startFixtureWorld } from "./fixture-world";

/**
 * Starts the fixture world for manual runs and end-to-end tests:
 *   npx tsx lib/domain-check/testing/start-fixtures.ts [--ca-file /tmp/ramparts-fixture-ca.pem] [--ephemeral-ports]
 * It prints one JSON line: {"dnsServer","caFile","ports","domains"} and runs until SIGINT/SIGTERM.
 * By default the web fixtures listen on the real ports 80/443 of 127.0.0.2-20 (needs root, as on these
 * machines), so `npm run check-domain -- good.test --dns-server <dnsServer> --ca-file <caFile> --allow-private-targets`
 * reaches them unmapped. With --ephemeral-ports only in-process tests (with a test policy) can reach them.
 */
const args = process.argv.slice(2);
const caIndex = args.indexOf("--ca-file");
const caFile = caIndex >= 0 && args[caIndex + 1] ? args[caIndex + 1]! : "/tmp/ramparts-fixture-ca.pem";
const ephemeral = args.includes("--ephemeral-ports");

const world = await startFixtureWorld(ephemeral ? {} : { ports: { http: 80, https: 443 } }).catch((error: NodeJS.ErrnoException) => {
  process.stderr.write(`Cannot listen on ports 80/443 (${error.code ?? error.message}); rerun as root or with --ephemeral-ports.\n`);
  process.exit(1);
});
await writeFile(caFile, world.caBundlePem);
process.stdout.write(`${JSON.stringify({ dnsServer: world.dns.server, caFile, ports: world.ports, domains: FIXTURE_DOMAINS })}\n`);
const stop = async () => {
  await world.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
