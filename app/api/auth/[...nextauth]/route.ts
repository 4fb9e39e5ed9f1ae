import NextAuth from "next-auth";
import { NextResponse, type NextRequest } from "next/server";
import { buildAuthOptions } from "@/lib/auth/auth-options";
import { settings } from "@/lib/config/settings";
import { RateLimiter, clientAddress } from "@/lib/security/rate-limiter";

type Context = { params: Promise<{ nextauth: string[] }> };

// Sign-in mail is sent to any address typed in: limit how often, per client and per address.
const perClient = new RateLimiter({ limit: 10, windowMs: 15 * 60_000 });
const perAddress = new RateLimiter({ limit: 5, windowMs: 15 * 60_000 });

async function emailSignInLimited(request: NextRequest, context: Context): Promise<boolean> {
  const { nextauth } = await context.params;
  if (request.method !== "POST" || nextauth.join("/") !== "signin/email") return false;
  const form = await request.clone().formData().catch(() => undefined);
  const email = String(form?.get("email") ?? "").trim().toLowerCase();
  const client = perClient.take(clientAddress(request.headers));
  const address = perAddress.take(email || "-");
  return !client.allowed || !address.allowed;
}

async function handler(request: NextRequest, context: Context) {
  if (await emailSignInLimited(request, context)) {
    // next-auth's client reads the error from the returned url.
    return NextResponse.json({ url: `${settings().appUrl}/signin?error=RateLimited` }, { status: 429, headers: { "Retry-After": "900" } });
  }
  return NextAuth(request, context, buildAuthOptions());
}

export { handler as GET, handler as POST };
