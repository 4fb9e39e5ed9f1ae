/** Test data made through the real code paths, unique per call so tests never collide. */
import crypto from "node:crypto";
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import { createOrganization } from "@/lib/tenancy/create-organization";
import { resolveTenantScope } from "@/lib/tenancy/resolve-membership";
import type { TenantScope } from "@/lib/tenancy/tenant-db";

export const uniqueSuffix = () => crypto.randomBytes(4).toString("hex");

export async function createTestUser(prisma: PrismaClient, overrides: { email?: string; name?: string } = {}) {
  const suffix = uniqueSuffix();
  return prisma.user.create({
    data: { email: overrides.email ?? `user-${suffix}@example.test`, name: overrides.name ?? `User ${suffix}`, emailVerified: new Date() },
  });
}

/** An organization with an owner; returns the owner's scope. */
export async function createTestOrganization(prisma: PrismaClient, options: { ownerId?: string; slug?: string } = {}): Promise<TenantScope> {
  const ownerId = options.ownerId ?? (await createTestUser(prisma)).id;
  const suffix = uniqueSuffix();
  const org = await createOrganization({
    prisma,
    userId: ownerId,
    input: { name: `Org ${suffix}`, slug: options.slug ?? `org-${suffix}` },
  });
  return resolveTenantScope(prisma, ownerId, org.slug);
}
