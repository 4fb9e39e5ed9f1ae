import type { Metadata } from "next";
import Link from "next/link";
import { ALL_CHECKS } from "@/lib/engine/checks/registry";
import { LAYERS } from "@/lib/engine/model/layers";
import { orgPageContext } from "@/lib/dashboard/org-context";
import { countFindingsByCheck } from "@/lib/dashboard/check-counts";
import { plural } from "@/lib/dashboard/format";
import { SeverityBadge } from "@/components/dashboard/severity";

export const metadata: Metadata = { title: "Checks" };

export default async function ChecksPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { scope } = await orgPageContext(slug, `/o/${slug}/checks`);
  const counts = await countFindingsByCheck({ scope });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Checks</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">
          Every check Ramparts runs, by defense layer, with how many findings it has across your clusters&apos; latest snapshots. Each opens its
          remediation guide.
        </p>
      </div>
      {LAYERS.map((layer) => {
        const checks = ALL_CHECKS.filter((c) => c.layer === layer.id);
        return (
          <section key={layer.id} aria-labelledby={`layer-${layer.id}`} className="rounded-lg border border-slate-200 bg-white shadow-sm">
            <h2 id={`layer-${layer.id}`} className="border-b border-slate-200 px-4 py-3 font-semibold">
              {layer.id}. {layer.name} <span className="font-normal text-slate-600">({checks.length})</span>
            </h2>
            <ul className="divide-y divide-slate-100">
              {checks.map((check) => {
                const c = counts.get(check.id);
                return (
                  <li key={check.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-2 text-sm">
                    <div className="flex min-w-0 items-center gap-2">
                      <SeverityBadge severity={check.severity} />
                      <Link href={`/o/${slug}/checks/${check.id}`} className="text-blue-800 underline-offset-2 hover:underline">
                        {check.title}
                      </Link>
                    </div>
                    <span className={c?.failing ? "font-medium text-red-800" : "text-slate-600"}>
                      {c ? `${plural(c.failing, "failing")}${c.unknown ? `, ${c.unknown} unknown` : ""} in ${plural(c.clusters, "cluster")}` : "nothing flagged"}
                    </span>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
