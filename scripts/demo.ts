/**
 * `npm run demo`: the app on the embedded database with demo data, in one command.
 * Builds if needed, seeds the demo organization through the real code paths, prints a
 * one-time sign-in link, then serves the production build in demo mode.
 */
import fs from "node:fs";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { SERVER_NODE_FLAGS } from "@/lib/config/server-node-flags";

const port = Number(process.env.PORT ?? 3000);
const appUrl = process.env.APP_URL ?? `http://localhost:${port}`;
process.env.RAMPARTS_MODE = "demo";
process.env.APP_URL = appUrl;
delete process.env.DATABASE_URL; // the demo always runs on the embedded database

const root = process.cwd();
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");

function newestSourceMtime(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".") || entry.name === "node_modules" || entry.name.endsWith(".test.ts")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const dir of ["app", "components", "lib", "public"]) if (fs.existsSync(dir)) walk(dir);
  for (const file of ["proxy.ts", "next.config.ts", "instrumentation.ts", "package.json"]) if (fs.existsSync(file)) newest = Math.max(newest, fs.statSync(file).mtimeMs);
  return newest;
}

const buildId = path.join(root, ".next", "BUILD_ID");
if (process.argv.includes("--rebuild") || !fs.existsSync(buildId) || fs.statSync(buildId).mtimeMs < newestSourceMtime()) {
  console.log("Building the app (production build)…");
  const build = spawnSync(process.execPath, [nextBin, "build"], { stdio: "inherit", env: process.env });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// Seed in this process, then close the database: only one process may open it at a time.
const { settings } = await import("@/lib/config/settings");
const { db, closeDb } = await import("@/lib/db/client");
const { seedDemo, DEMO_EMAIL } = await import("@/lib/demo/seed-demo");
const { createSignInLink } = await import("@/lib/auth/create-sign-in-link");
const { authSecret } = await import("@/lib/auth/auth-secret");

const { collectFromFile } = await import("@/agents/src/collect/collect-from-file");
const { createLogger } = await import("@/agents/src/log/logger");
const { AGENT_VERSION } = await import("@/agents/src/version");
type Snapshot = import("@/lib/snapshot/schema").SnapshotV1;
type Header = import("@/lib/snapshot/schema").SnapshotHeader;
type KubeObject = import("@/lib/snapshot/schema").KubeObject;

/** An example cluster as the agent's `collect --from-file` makes it (redacted, closed world). */
async function exampleSnapshot(name: string): Promise<Snapshot | undefined> {
  const dir = path.join(root, "examples", name);
  if (!fs.existsSync(dir) || !fs.readdirSync(dir).some((f) => /\.ya?ml$|\.json$/.test(f))) {
    console.warn(`examples/${name} is missing: the demo cluster for it gets no snapshots.`);
    return undefined;
  }
  const objects: KubeObject[] = [];
  let header: Header | undefined;
  await collectFromFile({
    target: dir,
    agentVersion: AGENT_VERSION,
    log: createLogger({ level: "warn" }),
    sink: { add: async (o) => (objects.push(o), true), finish: async (h) => void (header = h), abort: async () => {} },
  });
  return header ? { ...header, objects } : undefined;
}

const prisma = await db();
const examples = { "hardened-cluster": await exampleSnapshot("hardened-cluster"), "insecure-cluster": await exampleSnapshot("insecure-cluster") };
console.log("Seeding the demo organization (snapshots go through ingest and the real engine)…");
const seeded = await seedDemo(prisma, { examples });
for (const [cluster, count] of Object.entries(seeded.seededSnapshots)) console.log(`  ${cluster}: ${count} snapshots evaluated`);
const link = await createSignInLink({
  prisma,
  email: DEMO_EMAIL,
  appUrl,
  secret: authSecret(),
  maxAgeSeconds: settings().magicLinkMaxAgeSeconds,
  callbackPath: `/o/${seeded.slug}`,
});
await closeDb();

console.log(`
  Ramparts demo on the embedded database (${path.relative(root, settings().dataDir)}/).
  Sign in as ${DEMO_EMAIL} with this one-time link (valid ${Math.round(settings().magicLinkMaxAgeSeconds / 60)} minutes):

    ${link}

  Mail the app sends (sign-in links for other addresses) is kept at ${appUrl}/dev/mailbox
`);

const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, nextBin, "start", "-p", String(port)], { stdio: "inherit", env: process.env });
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
