/**
 * The agent's credential: the bearer token alone decides organization and cluster. Lookup is
 * by SHA-256 through the one SECURITY DEFINER function that may read tokens across tenants,
 * then the stored digest is compared in constant time. Last use is written at most once a
 * minute per token, not on every request.
 */
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { digestsEqual, sha256Hex } from "@/lib/security/hash-token";
import { looksLikeAgentToken } from "@/lib/clusters/agent-token";
import { inTenantTransaction } from "@/lib/tenancy/tenant-db";

export interface AgentIdentity {
  tokenId: string;
  orgId: string;
  clusterId: string;
}

const LAST_USED_RESOLUTION_MS = 60_000;
const lastTouched = new Map<string, number>();

interface TokenRow {
  id: string;
  org_id: string;
  cluster_id: string;
  token_hash: string;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const rejected = (message: string) => new AppError("unauthenticated", message);

/** Reads `Authorization: Bearer <token>`; 401 for a missing, malformed, unknown or revoked token. */
export async function authenticateAgent(prisma: PrismaClient, authorization: string | null, now: Date = new Date()): Promise<AgentIdentity> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  if (!match) throw rejected("Send the cluster token as Authorization: Bearer <token>");
  const token = match[1]!;
  // Same answer for a malformed and an unknown token: the shape check only saves a lookup.
  if (!looksLikeAgentToken(token)) throw rejected("Unknown or revoked cluster token");
  const digest = sha256Hex(token);
  const rows = await prisma.$queryRaw<TokenRow[]>`SELECT * FROM ramparts_find_agent_token(${digest})`;
  const row = rows[0];
  if (!row || !digestsEqual(digest, row.token_hash)) throw rejected("Unknown or revoked cluster token");
  if (row.revoked_at) throw rejected("This cluster token was revoked; install a current token");
  await touchLastUsed(prisma, row, now);
  return { tokenId: row.id, orgId: row.org_id, clusterId: row.cluster_id };
}

async function touchLastUsed(prisma: PrismaClient, row: TokenRow, now: Date): Promise<void> {
  const stored = row.last_used_at?.getTime() ?? 0;
  const touched = Math.max(stored, lastTouched.get(row.id) ?? 0);
  if (now.getTime() - touched < LAST_USED_RESOLUTION_MS) return;
  lastTouched.set(row.id, now.getTime());
  if (lastTouched.size > 10_000) lastTouched.clear();
  const threshold = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  // Conditional, so several app instances still write at most about once a minute each.
  await inTenantTransaction(prisma, { orgId: row.org_id, userId: null }, (tx) =>
    tx.agentToken.updateMany({ where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: threshold } }] }, data: { lastUsedAt: now } }),
  );
}
