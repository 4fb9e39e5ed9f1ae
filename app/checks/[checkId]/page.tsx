import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { checkById } from "@/lib/engine/checks/registry";
import { layerInfo } from "@/lib/engine/model/layers";
import { PublicHeader } from "@/components/layout/public-header";
import { SeverityBadge } from "@/components/dashboard/severity";
import { RemediationGuide } from "@/components/dashboard/remediation-guide";
import { Badge } from "@/components/ui/badge";

type Props = { params: Promise<{ checkId: string }> };

const REFERENCE_NAMES = { cis: "CIS Kubernetes Benchmark", nsa: "NSA/CISA Kubernetes Hardening Guide", kubescape: "Kubescape", polaris: "Polaris" } as const;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const check = checkById((await params).checkId);
  return check ? { title: check.title, description: check.why } : { title: "Check not found" };
}

/** Public: one check's guide, the page SARIF results point at. */
export default async function PublicCheckPage({ params }: Props) {
  const check = checkById((await params).checkId);
  if (!check) notFound();
  const references = Object.entries(check.references).filter(([, v]) => Array.isArray(v) && v.length > 0) as [keyof typeof REFERENCE_NAMES, string[]][];
  return (
    <div className="min-h-screen bg-white">
      <PublicHeader />
      <main id="main" className="mx-auto max-w-4xl px-4 py-10">
        <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
          <Link href="/checks" className="underline">
            Checks
          </Link>{" "}
          / Layer {check.layer}
        </nav>
        <h1 className="mt-2 text-3xl font-bold tracking-tight">{check.title}</h1>
        <p className="mt-3 flex flex-wrap items-center gap-2 text-sm">
          <SeverityBadge severity={check.severity} />
          <Badge>
            Layer {check.layer}: {layerInfo(check.layer).name}
          </Badge>
          <code className="font-mono text-xs text-slate-600">{check.id}</code>
        </p>
        <h2 className="mt-8 text-lg font-semibold">Why it matters</h2>
        <p className="mt-2 leading-relaxed text-slate-800">{check.why}</p>
        <section aria-label="Remediation guide" className="mt-2">
          <RemediationGuide markdown={check.guide} />
        </section>
        {references.length > 0 && (
          <section aria-labelledby="references" className="mt-8">
            <h2 id="references" className="text-lg font-semibold">
              References
            </h2>
            <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
              {references.map(([key, ids]) => (
                <div key={key} className="contents">
                  <dt className="text-slate-600">{REFERENCE_NAMES[key]}</dt>
                  <dd className="font-mono">{ids.join(", ")}</dd>
                </div>
              ))}
            </dl>
          </section>
        )}
        <p className="mt-10 rounded-lg bg-slate-50 p-4 text-sm text-slate-700">
          Ramparts runs this check on every snapshot of your clusters and points at the exact field.{" "}
          <Link href="/signin" className="font-medium text-blue-800 underline">
            Score your clusters
          </Link>
        </p>
      </main>
    </div>
  );
}
