/**
 * Starts what the browser tests run against: a real SMTP server, a fresh PostgreSQL database
 * (TEST_DATABASE_URL; without it the embedded database in a temporary directory), and the
 * production build of the app. Refuses a database that is not on this machine.
 */
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { spawn, type ChildProcess } from "node:child_process";
import { startMailCatcher } from "./support/mail-catcher";
import { E2E_BASE_URL, E2E_DIR, E2E_MAIL_DIR, E2E_PORT } from "./support/stack";
import { createPostgresTestDatabase } from "../lib/testing/test-database";
import { SERVER_NODE_FLAGS } from "../lib/config/server-node-flags";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

async function waitForHealthy(url: string, server: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`The app exited with code ${server.exitCode} before it was ready`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`The app did not become healthy at ${url} within ${timeoutMs} ms`);
}

export default async function globalSetup() {
  if (!fs.existsSync(path.join(".next", "BUILD_ID"))) {
    throw new Error("No production build: run `npm run build` first (npm test does it for you).");
  }
  fs.rmSync(E2E_DIR, { recursive: true, force: true });
  fs.mkdirSync(E2E_DIR, { recursive: true });

  const mail = await startMailCatcher(E2E_MAIL_DIR);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    RAMPARTS_MODE: "test",
    APP_URL: E2E_BASE_URL,
    NEXTAUTH_URL: E2E_BASE_URL,
    NEXTAUTH_SECRET: crypto.randomBytes(32).toString("base64url"),
    SMTP_URL: `smtp://127.0.0.1:${mail.port}`,
    RAMPARTS_DATA_DIR: path.join(E2E_DIR, "data"),
    LOG_LEVEL: "warn",
  };

  let dropDatabase: (() => Promise<void>) | undefined;
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const host = new URL(adminUrl).hostname;
    if (!LOCAL_HOSTS.has(host)) throw new Error(`Browser tests refuse a non-local database (${host}): they create and drop databases.`);
    const database = await createPostgresTestDatabase(adminUrl, "ramparts_e2e");
    env.DATABASE_URL = database.url;
    dropDatabase = database.drop;
  } else {
    delete env.DATABASE_URL;
  }
  process.env.E2E_DATABASE_URL = env.DATABASE_URL ?? "";

  const nextBin = path.join("node_modules", "next", "dist", "bin", "next");
  const log = fs.openSync(path.join(E2E_DIR, "app.log"), "w");
  const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, nextBin, "start", "-p", String(E2E_PORT)], { env, stdio: ["ignore", log, log] });
  try {
    await waitForHealthy(E2E_BASE_URL, server);
  } catch (error) {
    server.kill("SIGKILL");
    await mail.close();
    await dropDatabase?.();
    console.error(fs.readFileSync(path.join(E2E_DIR, "app.log"), "utf8").slice(-4000));
    throw error;
  }

  return async () => {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r).once("error", r));
    await mail.close();
    await dropDatabase?.();
  };
}
