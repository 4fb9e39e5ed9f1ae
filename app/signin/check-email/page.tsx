import type { Metadata } from "next";
import Link from "next/link";
import { Brand } from "@/components/layout/brand";
import { Card } from "@/components/ui/card";
import { settings } from "@/lib/config/settings";

export const metadata: Metadata = { title: "Check your email" };

export default async function CheckEmailPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { email } = await searchParams;
  const config = settings();
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4 py-12">
      <div className="mb-8 flex justify-center">
        <Brand />
      </div>
      <Card>
        <h1 className="text-xl font-semibold">Check your email</h1>
        <p className="mt-2 text-sm text-slate-700">
          We sent a sign-in link{typeof email === "string" ? <> to <strong>{email}</strong></> : null}. It works once and expires in{" "}
          {Math.round(config.magicLinkMaxAgeSeconds / 60)} minutes.
        </p>
        {config.devMailboxEnabled && (
          <p className="mt-4 text-sm text-slate-700">
            No mail server is configured: open the <Link className="text-blue-700 underline" href="/dev/mailbox">development mailbox</Link>.
          </p>
        )}
        <p className="mt-6 text-sm">
          <Link className="text-blue-700 underline" href="/signin">Use another address</Link>
        </p>
      </Card>
    </main>
  );
}
