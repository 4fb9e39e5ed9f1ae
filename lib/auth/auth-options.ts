/**
 * next-auth configuration, built per request so that identity providers can differ by
 * organization later (SSO): `buildAuthOptions({ providers })` takes the extra providers.
 */
import type { NextAuthOptions } from "next-auth";
import EmailProvider from "next-auth/providers/email";
import type { Provider } from "next-auth/providers/index";
import { z } from "zod";
import { settings } from "@/lib/config/settings";
import { db } from "@/lib/db/client";
import { sendMail } from "@/lib/email/send-mail";
import { signInEmail } from "@/lib/email/templates/sign-in-email";
import { logger } from "@/lib/observability/logger";
import { authSecret } from "./auth-secret";
import { prismaAuthAdapter } from "./prisma-auth-adapter";

const emailSchema = z.string().trim().toLowerCase().pipe(z.email());

export class InvalidEmailError extends Error {
  override name = "InvalidEmailError";
}

export function normalizeEmail(input: string | undefined): string {
  const parsed = emailSchema.safeParse(input ?? "");
  if (!parsed.success) throw new InvalidEmailError("Enter a valid email address");
  return parsed.data;
}

/** The link in the mail opens a confirmation page first, so mail scanners that prefetch links cannot spend it. */
export function confirmationUrl(callbackUrl: string, appUrl: string): string {
  const callback = new URL(callbackUrl);
  const confirm = new URL("/signin/confirm", appUrl);
  for (const key of ["token", "email", "callbackUrl"]) {
    const value = callback.searchParams.get(key);
    if (value) confirm.searchParams.set(key, value);
  }
  return confirm.toString();
}

function emailProvider(): Provider {
  const config = settings();
  return EmailProvider({
    // Unused: mail goes through sendVerificationRequest below.
    server: "smtp://127.0.0.1:25",
    from: config.emailFrom,
    maxAge: config.magicLinkMaxAgeSeconds,
    normalizeIdentifier: normalizeEmail,
    async sendVerificationRequest({ identifier, url }) {
      await sendMail(
        signInEmail({
          to: identifier,
          url: confirmationUrl(url, config.appUrl),
          host: new URL(config.appUrl).host,
          expiresMinutes: Math.round(config.magicLinkMaxAgeSeconds / 60),
        }),
      );
    },
  });
}

export function buildAuthOptions(extra: { providers?: Provider[] } = {}): NextAuthOptions {
  const config = settings();
  const secure = config.secureCookies;
  const cookiePrefix = secure ? "__Secure-" : "";
  return {
    secret: authSecret(),
    adapter: prismaAuthAdapter(db),
    providers: [emailProvider(), ...(extra.providers ?? [])],
    session: { strategy: "database", maxAge: 30 * 24 * 60 * 60, updateAge: 24 * 60 * 60 },
    useSecureCookies: secure,
    cookies: {
      sessionToken: {
        name: `${cookiePrefix}next-auth.session-token`,
        options: { httpOnly: true, sameSite: "lax", path: "/", secure },
      },
    },
    pages: { signIn: "/signin", verifyRequest: "/signin/check-email", error: "/signin" },
    callbacks: {
      // Only ever redirect within the app: no open redirects through callbackUrl.
      async redirect({ url, baseUrl }) {
        if (url.startsWith("/") && !url.startsWith("//")) return `${baseUrl}${url}`;
        try {
          if (new URL(url).origin === baseUrl) return url;
        } catch {
          // fall through
        }
        return `${baseUrl}/app`;
      },
    },
    events: {
      signIn: ({ user, isNewUser }) => logger.info("auth.signed_in", { userId: user.id, isNewUser: Boolean(isNewUser) }),
      signOut: () => logger.info("auth.signed_out"),
    },
    logger: {
      error: (code, metadata) => logger.warn("auth.error", { code, message: metadata instanceof Error ? metadata.message : undefined }),
      warn: (code) => logger.warn("auth.warning", { code }),
      debug: () => {},
    },
  };
}
