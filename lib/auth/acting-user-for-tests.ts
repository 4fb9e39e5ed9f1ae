/**
 * Server actions read the signed-in user from the request's cookies, which exist only inside a
 * Next.js request. Tests that call actions directly (the cross-tenant test) run them as a user
 * here instead. Refused outside Vitest, so no production path can enter it.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { CurrentUser } from "./current-user";

const storage = new AsyncLocalStorage<CurrentUser>();

export function runAsUserForTests<T>(user: CurrentUser, fn: () => Promise<T>): Promise<T> {
  if (!process.env.VITEST) throw new Error("runAsUserForTests is for tests only");
  return storage.run(user, fn);
}

export function actingUserForTests(): CurrentUser | undefined {
  return storage.getStore();
}
