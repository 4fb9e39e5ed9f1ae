import crypto from "node:crypto";

/** SHA-256 (hex) of a high-entropy secret: what we store instead of session, invitation and agent tokens. */
export function sha256Hex(value: string): string {
  return crypto.createHash("sha256").update(value).digest("hex");
}

/** Constant-time comparison of two hex digests of equal length. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && left.length > 0 && crypto.timingSafeEqual(left, right);
}

/** A random secret with a recognizable prefix, e.g. "rpa_…" for agent tokens. */
export function generateToken(prefix: string, bytes = 32): string {
  return `${prefix}_${crypto.randomBytes(bytes).toString("base64url")}`;
}
