/**
 * The acting user and tenant scope of an organization page, resolved once per request: the
 * layout and the page share the session lookup and the user's memberships (the same query the
 * organization switcher needs). Not a member and no such organization both render the not-found
 * page; no session redirects to sign-in and back.
 */
import { cache } from "react";
import { notFound, redirect } from "next/navigation";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { getCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { listMyOrganizations, type MyOrganization } from "@/lib/tenancy/list-my-organizations";
import { TenantScope } from "@/lib/tenancy/tenant-db";

export const currentUserOnce = cache(getCurrentUser);

/** The user's organizations (RLS-scoped to the user), once per request. */
export const myOrganizationsOnce = cache(async (userId: string): Promise<MyOrganization[]> => listMyOrganizations(await db(), userId));

export interface OrgPageContext {
  user: CurrentUser;
  scope: TenantScope;
}

/** For pages under /o/[slug]: `returnTo` is where sign-in comes back to. */
export async function orgPageContext(slug: string, returnTo = `/o/${slug}`): Promise<OrgPageContext> {
  const user = await currentUserOnce();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  const membership = (await myOrganizationsOnce(user.id)).find((org) => org.slug === slug);
  if (!membership) notFound();
  // The same acting membership resolveTenantScope would build, from the memberships already read.
  const scope = new TenantScope(await db(), { orgId: membership.id, orgSlug: membership.slug, orgName: membership.name, userId: user.id, role: membership.role });
  return { user, scope };
}

/** Domain "not found" errors as the page's not-found state. */
export async function orNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}
