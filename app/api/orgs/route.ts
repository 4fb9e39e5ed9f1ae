import { NextResponse } from "next/server";
import { db } from "@/lib/db/client";
import { userRoute } from "@/lib/http/api-route";
import { createOrganization, createOrganizationInput } from "@/lib/tenancy/create-organization";
import { listMyOrganizations } from "@/lib/tenancy/list-my-organizations";

/** The organizations the caller belongs to. */
export const GET = userRoute({}, async ({ user }) => ({ organizations: await listMyOrganizations(await db(), user.id) }));

/** Creates an organization owned by the caller. */
export const POST = userRoute({ body: createOrganizationInput }, async ({ user, body }) => {
  const organization = await createOrganization({ prisma: await db(), userId: user.id, input: body });
  return NextResponse.json({ organization }, { status: 201 });
});
