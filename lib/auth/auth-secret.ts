/**
 * The secret that signs next-auth's CSRF cookie and hashes magic-link tokens. Production must
 * configure NEXTAUTH_SECRET; development and the demo generate one once and keep it in the data dir.
 */
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { settings } from "@/lib/config/settings";

let cached: string | undefined;

export function authSecret(): string {
  if (cached) return cached;
  const config = settings();
  if (config.authSecret) return (cached = config.authSecret);
  const file = path.join(config.dataDir, "auth-secret");
  if (fs.existsSync(file)) return (cached = fs.readFileSync(file, "utf8").trim());
  fs.mkdirSync(config.dataDir, { recursive: true });
  const secret = crypto.randomBytes(32).toString("base64url");
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return (cached = secret);
}
