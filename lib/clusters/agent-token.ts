/**
 * Agent tokens: "rpa_" + 256 random bits. Only the SHA-256 is stored; the first characters stay
 * visible so people can tell tokens apart. Shown once, at creation or rotation.
 */
import { generateToken, sha256Hex } from "@/lib/security/hash-token";

export const AGENT_TOKEN_PREFIX = "rpa";
const VISIBLE_CHARS = 12;

export interface IssuedAgentToken {
  token: string;
  prefix: string;
  tokenHash: string;
}

export function issueAgentToken(): IssuedAgentToken {
  const token = generateToken(AGENT_TOKEN_PREFIX);
  return { token, prefix: token.slice(0, VISIBLE_CHARS), tokenHash: sha256Hex(token) };
}

export function looksLikeAgentToken(value: string): boolean {
  return /^rpa_[A-Za-z0-9_-]{43}$/.test(value);
}
