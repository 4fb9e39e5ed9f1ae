import type { Metadata } from "next";
import Link from "next/link";
import { ALL_CHECKS } from "@/lib/engine/checks/registry";
import { LAYERS } from "@/lib/engine/model/layers";
import { PublicHeader } from "@/components/layout/public-header";
import { SeverityBadge } from "@/components/dashboard/severity";

export const metadata: Metadata = {
  title: "The check catalog",
  description: "Every check Ramparts runs on a Kubernetes cluster, by defense-in-depth layer, with why it matters and a fix you can paste.",
};

/** Public: the catalog SARIF and Markdown reports link to (https://<app>/checks/<id>). */
export default function ChecksCatalogPage() {
  return (
    <div className="min-h-screen bg-white">
      <PublicHeader />
      <main id="main" className="mx-auto max-w-6xl px-4 py-10">
        <h1 className="text-3xl font-bold tracking-tight">The check catalog</h1>
        <p className="mt-3 max-w-3xl text-slate-700">
          {ALL_CHECKS.length} checks across six layers. Each names the exact field that is wrong, explains why it matters, and gives a fix
          and the admission policy that keeps it fixed.
        </p>
        {LAYERS.map((layer) => {
          const checks = ALL_CHECKS.filter((c) => c.layer === layer.id);
          return (
            <section key={layer.id} aria-labelledby={`layer-${layer.id}`} className="mt-10">
              <h2 id={`layer-${layer.id}`} className="text-xl font-semibold">
                Layer {layer.id}: {layer.name} <span className="text-base font-normal text-slate-600">({checks.length})</span>
              </h2>
              <ul className="mt-4 divide-y divide-slate-200 rounded-lg border border-slate-200">
                {checks.map((check) => (
                  <li key={check.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3">
                    <Link href={`/checks/${check.id}`} className="font-medium text-blue-800 underline-offset-2 hover:underline">
                      {check.title}
                    </Link>
                    <span className="flex items-center gap-2">
                      <code className="font-mono text-xs text-slate-600">{check.id}</code>
                      <SeverityBadge severity={check.severity} />
                    </span>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </main>
    </div>
  );
}
