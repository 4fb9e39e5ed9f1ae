/**
 * The acting user and tenant scope of an organization page, resolved once per request (the
 * layout and the page both ask). Not a member and no such organization both render the
 * not-found page; no session redirects to sign-in and back.
 */
import { cache } from "react";
import { notFound, redirect } from "next/navigation";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { getCurrentUser, type CurrentUser } from "@/lib/auth/current-user";
import { resolveTenantScope } from "@/lib/tenancy/resolve-membership";
import type { TenantScope } from "@/lib/tenancy/tenant-db";

export const currentUserOnce = cache(getCurrentUser);

const scopeOnce = cache(async (userId: string, slug: string): Promise<TenantScope | null> => {
  try {
    return await resolveTenantScope(await db(), userId, slug);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return null;
    throw error;
  }
});

export interface OrgPageContext {
  user: CurrentUser;
  scope: TenantScope;
}

/** For pages under /o/[slug]: `returnTo` is where sign-in comes back to. */
export async function orgPageContext(slug: string, returnTo = `/o/${slug}`): Promise<OrgPageContext> {
  const user = await currentUserOnce();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  const scope = await scopeOnce(user.id, slug);
  if (!scope) notFound();
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
