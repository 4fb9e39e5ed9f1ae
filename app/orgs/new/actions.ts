"use server";

import { db } from "@/lib/db/client";
import { runUserAction, type ActionResult } from "@/lib/http/server-action";
import { createOrganization, createOrganizationInput } from "@/lib/tenancy/create-organization";

export async function createOrganizationAction(input: unknown): Promise<ActionResult<{ slug: string }>> {
  return runUserAction(createOrganizationInput, input, async ({ user, input }) => {
    const org = await createOrganization({ prisma: await db(), userId: user.id, input });
    return { slug: org.slug };
  });
}
