/** Where the browser tests' app and mailbox live (shared by the config, the setup and the tests). */
import path from "node:path";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3310);
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;
export const E2E_DIR = path.resolve("test-results", "e2e-stack");
export const E2E_MAIL_DIR = path.join(E2E_DIR, "mail");
