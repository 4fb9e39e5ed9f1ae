import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { Brand } from "@/components/layout/brand";
import { Alert } from "@/components/ui/alert";
import { DomainCheck } from "@/components/domain-check/domain-check";
import { QueryProvider } from "@/components/domain-check/query-provider";
import { ScanReport } from "@/components/domain-check/scan-report";
import { SignUpCallToAction } from "@/components/domain-check/sign-up-call-to-action";
import { AppError } from "@/lib/errors";
import { DomainCheckUnavailableError, publicDomainChecks } from "@/lib/public-scans/public-domain-checks";
import { GROUP_OUTLINE } from "@/lib/public-scans/scan-store";
import { type ScanView, toScanView } from "@/lib/public-scans/scan-view";
import { clientAddress } from "@/lib/security/rate-limiter";

type Props = { params: Promise<{ domain: string }> };

function decoded(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const domain = decoded((await params).domain).slice(0, 253);
  return { title: `${domain}: domain security check`, description: `How ${domain} scores on email, DNS, TLS and HTTP security checks.` };
}

type Outcome = { kind: "scan"; scan: ScanView } | { kind: "problem"; title: string; message: string; tone: "warning" | "error" };

async function resolveScan(input: string): Promise<Outcome & { domain: string }> {
  let service;
  try {
    service = publicDomainChecks();
  } catch (error) {
    if (error instanceof DomainCheckUnavailableError) return { kind: "problem", title: "The domain check is unavailable", message: error.message, tone: "error", domain: input };
    throw error;
  }
  let domain: string;
  try {
    domain = service.normalize(input);
  } catch (error) {
    if (error instanceof AppError) return { kind: "problem", title: "This is not a domain we can check", message: error.message, tone: "error", domain: input };
    throw error;
  }
  if (domain !== input) redirect(`/check/${encodeURIComponent(domain)}`);
  const client = clientAddress(await headers());
  try {
    service.takeRequest(client);
    // The latest finished scan under a day old, or the running one; otherwise start one (reused for 5 minutes).
    const scan = (await service.latestForPage(domain)) ?? (await service.request(domain, client)).scan;
    return { kind: "scan", scan: toScanView(scan, GROUP_OUTLINE), domain };
  } catch (error) {
    if (error instanceof AppError && error.code === "rate_limited") return { kind: "problem", title: "Please wait a moment", message: error.message, tone: "warning", domain };
    throw error;
  }
}

/** The shareable result page of a domain: server-rendered, readable without JavaScript once the scan is finished. */
export default async function DomainCheckPage({ params }: Props) {
  const input = decoded((await params).domain);
  const outcome = await resolveScan(input);
  const { domain } = outcome;
  const scan = outcome.kind === "scan" ? outcome.scan : null;
  return (
    <div className="min-h-screen bg-white">
      <header className="mx-auto flex max-w-6xl items-center justify-between px-4 py-4">
        <Brand />
        <Link href="/signin" className="rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">
          Sign in
        </Link>
      </header>
      <main id="main" className="mx-auto max-w-4xl px-4 pt-8 pb-16">
        <p className="text-sm text-slate-600">
          <Link href="/" className="text-blue-700 underline">
            Free domain check
          </Link>
        </p>
        <h1 className="mt-2 text-3xl font-bold tracking-tight break-words text-slate-900">Security check of {domain}</h1>

        <div className="mt-6">
          {outcome.kind === "problem" && (
            <div className="space-y-6">
              <Alert tone={outcome.tone} title={outcome.title}>
                {outcome.message}
              </Alert>
              <CheckAnotherForm />
            </div>
          )}

          {scan?.status === "finished" && scan.report && (
            <>
              <ScanReport report={scan.report} groups={scan.groups} />
              <form action="/check" method="get" className="mt-6 flex flex-wrap items-center gap-3 text-sm text-slate-700">
                <input type="hidden" name="domain" value={scan.domain} />
                <input type="hidden" name="rescan" value="1" />
                <span>Results are reused for five minutes.</span>
                <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-100">
                  Check again
                </button>
              </form>
              <SignUpCallToAction domain={scan.domain} />
              <div className="mt-10">
                <CheckAnotherForm />
              </div>
            </>
          )}

          {scan && scan.status !== "finished" && (
            <>
              {scan.status === "running" && (
                // Without JavaScript, reload until the result is ready (ignored by browsers running scripts).
                <noscript dangerouslySetInnerHTML={{ __html: '<meta http-equiv="refresh" content="5"><p class="text-sm text-slate-600">This page reloads every 5 seconds until the check is finished.</p>' }} />
              )}
              <QueryProvider>
                <DomainCheck initialDomain={scan.domain} initialScan={scan} />
              </QueryProvider>
            </>
          )}
        </div>
      </main>
    </div>
  );
}

function CheckAnotherForm() {
  return (
    <form action="/check" method="get" className="flex flex-col gap-2 sm:flex-row sm:items-end">
      <div className="flex-1">
        <label htmlFor="check-another" className="block text-sm font-medium text-slate-800">
          Check another domain
        </label>
        <input id="check-another" name="domain" type="text" autoComplete="off" placeholder="example.com" className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm" />
      </div>
      <button type="submit" className="rounded-md bg-blue-700 px-4 py-2 text-sm font-semibold text-white hover:bg-blue-800">
        Check
      </button>
    </form>
  );
}
