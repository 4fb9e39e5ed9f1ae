import type { PrismaClient } from "@/lib/db/generated/prisma/client";
import type { Role } from "@/lib/db/generated/prisma/enums";
import { inUserTransaction } from "./tenant-db";

export interface MyOrganization {
  id: string;
  slug: string;
  name: string;
  role: Role;
}

/** The organizations the user belongs to, for the switcher and the landing redirect. */
export async function listMyOrganizations(prisma: PrismaClient, userId: string): Promise<MyOrganization[]> {
  const rows = await inUserTransaction(prisma, userId, (tx) =>
    tx.membership.findMany({
      where: { userId },
      select: { role: true, organization: { select: { id: true, slug: true, name: true } } },
      orderBy: { organization: { name: "asc" } },
    }),
  );
  return rows.map((row) => ({ ...row.organization, role: row.role }));
}
