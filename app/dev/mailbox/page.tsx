import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { settings } from "@/lib/config/settings";
import { listDevMailbox } from "@/lib/email/dev-mailbox";
import { Brand } from "@/components/layout/brand";

export const metadata: Metadata = { title: "Development mailbox", robots: { index: false } };

const LINK = /(https?:\/\/[^\s]+)/g;

/** Development and demo only: the mail the app would have sent. */
export default async function DevMailboxPage() {
  if (!settings().devMailboxEnabled) notFound();
  const mails = await listDevMailbox();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white px-4 py-3">
        <Brand />
      </header>
      <main id="main" className="mx-auto max-w-3xl px-4 py-8">
        <h1 className="text-2xl font-semibold">Development mailbox</h1>
        <p className="mt-1 text-sm text-slate-600">No SMTP server is configured, so mail is kept here instead of being sent. Newest first.</p>
        {mails.length === 0 ? (
          <p className="mt-8 text-sm text-slate-700">No mail yet.</p>
        ) : (
          <ul className="mt-6 space-y-4">
            {mails.map((mail) => (
              <li key={mail.id} className="rounded-lg border border-slate-200 bg-white p-4">
                <p className="text-sm font-semibold">{mail.subject}</p>
                <p className="text-xs text-slate-600">
                  To {mail.to} · {new Date(mail.sentAt).toLocaleString("en-GB", { timeZone: "UTC" })} UTC
                </p>
                <pre className="mt-3 whitespace-pre-wrap break-all font-sans text-sm text-slate-800">
                  {mail.text.split(LINK).map((part, i) =>
                    /^https?:\/\//.test(part) ? (
                      <a key={i} href={part} className="text-blue-700 underline">
                        {part}
                      </a>
                    ) : (
                      part
                    ),
                  )}
                </pre>
              </li>
            ))}
          </ul>
        )}
      </main>
    </div>
  );
}
