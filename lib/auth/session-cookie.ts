import { settings } from "@/lib/config/settings";

/** next-auth's cookie names: the __Secure- prefix whenever cookies are Secure. */
export function sessionCookieName(): string {
  return settings().secureCookies ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}
