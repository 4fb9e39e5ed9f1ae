import Link from "next/link";
import { settings } from "@/lib/config/settings";
import { PublicHeader } from "@/components/layout/public-header";
import { DomainCheck } from "@/components/domain-check/domain-check";
import { QueryProvider } from "@/components/domain-check/query-provider";

const GROUPS = [
  { title: "Email and DNS", text: "SPF, DMARC, DKIM, MTA-STS, TLS-RPT, DNSSEC, CAA, name servers" },
  { title: "TLS and certificate", text: "Trust, name, expiry, key, signature, TLS versions, cipher suites" },
  { title: "HTTP", text: "HTTPS redirect, HSTS, CSP, framing, cookies, CORS, isolation headers, SRI" },
  { title: "Other", text: "security.txt, www and apex consistency" },
];

// The public landing page: the free domain check first, then what Ramparts does for clusters.
export default function LandingPage() {
  const retentionDays = settings().domainCheck.retentionDays;
  return (
    <div className="min-h-screen bg-white">
      <PublicHeader />
      <main id="main">
        <section className="mx-auto max-w-4xl px-4 pt-12 pb-16">
          <h1 className="text-4xl font-bold tracking-tight text-slate-900 sm:text-5xl">How secure is your domain?</h1>
          <p className="mt-4 max-w-3xl text-lg text-slate-700">
            See exactly how your domain scores on DMARC, TLS, HTTP headers and 25+ other automated security checks in under 60 seconds.
          </p>
          <div className="mt-8">
            <QueryProvider>
              <DomainCheck />
            </QueryProvider>
          </div>
          <ul className="mt-10 grid gap-4 text-sm sm:grid-cols-2" aria-label="What the check covers">
            {GROUPS.map((g) => (
              <li key={g.title} className="rounded-md border border-slate-200 bg-slate-50 px-4 py-3">
                <span className="font-semibold text-slate-900">{g.title}</span>
                <span className="mt-1 block text-slate-700">{g.text}</span>
              </li>
            ))}
          </ul>
          <p className="mt-4 text-xs text-slate-600">
            We only connect to public addresses, on ports 80 and 443, with the user agent RampartsDomainCheck/1.0. Results are public and kept{" "}
            {retentionDays} days.
          </p>
        </section>

        <section aria-labelledby="clusters-heading" className="border-t border-slate-200 bg-slate-50">
          <div className="mx-auto max-w-6xl px-4 py-16">
            <h2 id="clusters-heading" className="max-w-3xl text-3xl font-bold tracking-tight text-slate-900 sm:text-4xl">
              How well is each of your Kubernetes clusters defended?
            </h2>
            <p className="mt-6 max-w-2xl text-lg text-slate-700">
              Ramparts scores every cluster layer by layer (images, RBAC and admission, network and mesh, secrets, runtime detection, supply
              chain) and points at the exact field to fix, with a fix you can paste.
            </p>
            <div className="mt-8">
              <Link href="/signin" className="rounded-md bg-blue-700 px-5 py-3 text-sm font-semibold text-white hover:bg-blue-800">
                Score your clusters
              </Link>
            </div>
          </div>
        </section>
      </main>
    </div>
  );
}
