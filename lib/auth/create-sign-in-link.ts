/**
 * A one-time sign-in link made without sending mail (the demo prints it). It is stored exactly
 * as next-auth stores the links it mails: SHA-256 of token + secret, so the same callback
 * verifies it and spends it.
 */
import crypto from "node:crypto";
import type { PrismaClient } from "@/lib/db/generated/prisma/client";

export async function createSignInLink(options: {
  prisma: PrismaClient;
  email: string;
  appUrl: string;
  secret: string;
  maxAgeSeconds: number;
  callbackPath?: string;
}): Promise<string> {
  const token = crypto.randomBytes(32).toString("hex");
  const hashed = crypto.createHash("sha256").update(`${token}${options.secret}`).digest("hex");
  await options.prisma.verificationToken.create({
    data: { identifier: options.email, token: hashed, expires: new Date(Date.now() + options.maxAgeSeconds * 1000) },
  });
  const url = new URL("/signin/confirm", options.appUrl);
  url.searchParams.set("token", token);
  url.searchParams.set("email", options.email);
  url.searchParams.set("callbackUrl", options.callbackPath ?? "/app");
  return url.toString();
}
