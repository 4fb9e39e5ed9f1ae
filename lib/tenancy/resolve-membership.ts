import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import { notFound } from "@/lib/errors";
import { inUserTransaction, TenantScope, type ActingMembership } from "./tenant-db";

/**
 * The acting user's membership in the organization named by `slug`. Not a member, or no such
 * organization: both read as "not found", so the answer reveals nothing about other tenants.
 */
export async function resolveMembership(prisma: PrismaClient, userId: string, slug: string): Promise<ActingMembership> {
  const membership = await inUserTransaction(prisma, userId, (tx) =>
    tx.membership.findFirst({
      where: { userId, organization: { slug } },
      select: { role: true, organization: { select: { id: true, slug: true, name: true } } },
    }),
  );
  if (!membership) throw notFound("Organization");
  return {
    orgId: membership.organization.id,
    orgSlug: membership.organization.slug,
    orgName: membership.organization.name,
    userId,
    role: membership.role,
  };
}

export async function resolveTenantScope(prisma: PrismaClient, userId: string, slug: string): Promise<TenantScope> {
  return new TenantScope(prisma, await resolveMembership(prisma, userId, slug));
}
