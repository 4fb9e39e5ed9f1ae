import type { Metadata } from "next";
import { Brand } from "@/components/layout/brand";
import { Card } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { safeCallbackUrl } from "@/lib/http/safe-callback-url";
import { settings } from "@/lib/config/settings";

export const metadata: Metadata = { title: "Confirm sign-in", robots: { index: false } };

/**
 * The magic link lands here, not on the callback: mail scanners that fetch links would otherwise
 * spend the one-time token before the person clicks it.
 */
export default async function ConfirmSignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const token = typeof params.token === "string" && /^[A-Za-z0-9_-]{16,200}$/.test(params.token) ? params.token : undefined;
  const email = typeof params.email === "string" ? params.email : undefined;
  const callbackUrl = safeCallbackUrl(params.callbackUrl, settings().appUrl);
  const href = token && email ? `/api/auth/callback/email?${new URLSearchParams({ token, email, callbackUrl })}` : undefined;
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4 py-12">
      <div className="mb-8 flex justify-center">
        <Brand />
      </div>
      <Card>
        <h1 className="text-xl font-semibold">Sign in to Ramparts</h1>
        {href ? (
          <>
            <p className="mt-2 mb-6 text-sm text-slate-700">
              Continue as <strong>{email}</strong>.
            </p>
            {/* A plain link: the callback is an API route that must be requested exactly once. */}
            <a href={href} className="inline-flex w-full items-center justify-center rounded-md bg-blue-700 px-4 py-2 text-sm font-medium text-white hover:bg-blue-800">
              Sign in
            </a>
          </>
        ) : (
          <div className="mt-4">
            <Alert tone="error" title="This link is incomplete">
              Copy the whole link from the email, or request a new one from the sign-in page.
            </Alert>
          </div>
        )}
      </Card>
    </main>
  );
}
