import crypto from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { inTenantTransaction } from "./tenant-db";
import { organizationNameSchema, organizationSlugSchema } from "./organization-slug";
import { isUniqueViolation } from "@/lib/db/prisma-errors";

export const createOrganizationInput = z.object({
  name: organizationNameSchema,
  slug: organizationSlugSchema,
});
export type CreateOrganizationInput = z.infer<typeof createOrganizationInput>;

/** Creates an organization with the creator as its owner. */
export async function createOrganization(options: {
  prisma: PrismaClient;
  userId: string;
  input: CreateOrganizationInput;
}): Promise<{ id: string; slug: string; name: string }> {
  const { prisma, userId, input } = options;
  const orgId = `org_${crypto.randomUUID().replace(/-/g, "")}`;
  try {
    return await inTenantTransaction(prisma, { orgId, userId }, async (tx) => {
      const org = await tx.organization.create({ data: { id: orgId, name: input.name, slug: input.slug } });
      await tx.membership.create({ data: { orgId, userId, role: "OWNER" } });
      await recordAuditEvent(tx, {
        orgId,
        actor: { type: "user", userId },
        action: "organization.created",
        target: { type: "organization", id: orgId },
        metadata: { slug: org.slug, name: org.name },
      });
      return { id: org.id, slug: org.slug, name: org.name };
    });
  } catch (error) {
    if (isUniqueViolation(error, "slug")) {
      throw new AppError("conflict", "This slug is already taken", { field: "slug" });
    }
    throw error;
  }
}
