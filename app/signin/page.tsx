import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Brand } from "@/components/layout/brand";
import { Card } from "@/components/ui/card";
import { Alert } from "@/components/ui/alert";
import { SignInForm } from "@/components/auth/sign-in-form";
import { getCurrentUser } from "@/lib/auth/current-user";
import { safeCallbackUrl } from "@/lib/http/safe-callback-url";
import { settings } from "@/lib/config/settings";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl, settings().appUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  const error = typeof params.error === "string" ? params.error : undefined;
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4 py-12">
      <div className="mb-8 flex justify-center">
        <Brand />
      </div>
      <Card>
        <h1 className="text-xl font-semibold">Sign in to Ramparts</h1>
        <p className="mt-1 mb-6 text-sm text-slate-600">New here? The same link creates your account.</p>
        {params.signedOut && (
          <div className="mb-4">
            <Alert tone="success">You are signed out.</Alert>
          </div>
        )}
        <SignInForm callbackUrl={callbackUrl} initialError={error} />
      </Card>
    </main>
  );
}
