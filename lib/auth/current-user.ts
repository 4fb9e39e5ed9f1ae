/**
 * Who is signed in, read from the session cookie. A missing, forged or expired cookie is
 * simply "nobody": pages redirect to sign-in, APIs answer 401.
 */
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { db } from "@/lib/db/client";
import { sha256Hex } from "@/lib/security/hash-token";
import { sessionCookieName } from "./session-cookie";
import { actingUserForTests } from "./acting-user-for-tests";

export interface CurrentUser {
  id: string;
  email: string;
  name: string | null;
}

export async function userFromSessionToken(token: string | undefined): Promise<CurrentUser | null> {
  if (!token || token.length > 200) return null;
  const prisma = await db();
  const session = await prisma.session.findUnique({
    where: { sessionTokenHash: sha256Hex(token) },
    select: { expires: true, user: { select: { id: true, email: true, name: true } } },
  });
  if (!session || session.expires.getTime() <= Date.now()) return null;
  return session.user;
}

export async function getCurrentUser(): Promise<CurrentUser | null> {
  const testUser = actingUserForTests();
  if (testUser) return testUser;
  const store = await cookies();
  return userFromSessionToken(store.get(sessionCookieName())?.value);
}

/** For pages: the user, or a redirect to sign-in that comes back here. */
export async function requireUser(returnTo: string): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}
