/**
 * Runs before every page: a fresh CSP nonce per request, set on the request (Next reads it to
 * tag its own scripts) and on the response. Static assets and APIs get the other security
 * headers from next.config.ts.
 */
import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy } from "@/lib/security/security-headers";

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const secure = request.nextUrl.protocol === "https:" || !["localhost", "127.0.0.1", "[::1]"].includes(request.nextUrl.hostname);
  const csp = contentSecurityPolicy({ nonce, development: process.env.NODE_ENV === "development", upgradeInsecureRequests: secure });
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|_next/static|_next/image|favicon.ico|robots.txt).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
