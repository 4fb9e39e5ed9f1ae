import Link from "next/link";
import type { ClusterDetail } from "@/lib/clusters/get-cluster";
import { percent } from "@/lib/dashboard/format";
import { GradeBadge } from "./grade";
import { ScoreBar } from "./layer-bars";
import { SeverityBadge } from "./severity";

/** The six layers, each with its score and the checks that pull it down most. */
export function LayerCards({ slug, clusterId, layers }: { slug: string; clusterId: string; layers: ClusterDetail["layers"] }) {
  return (
    <section aria-labelledby="layers-heading">
      <h2 id="layers-heading" className="text-lg font-semibold">
        Defense layers
      </h2>
      <ol className="mt-3 grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        {layers.map((layer) => {
          const culprits = layer.detail.checks.filter((c) => c.status === "fail" || c.status === "unknown").slice(0, 3);
          const c = layer.detail.counts;
          return (
            <li key={layer.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-labelledby={`layer-${layer.id}`}>
              <div className="flex items-start justify-between gap-2">
                <h3 id={`layer-${layer.id}`} className="font-medium">
                  <span className="text-slate-600">{layer.id}.</span> {layer.name}
                </h3>
                <div className="flex items-center gap-2">
                  <span className="text-xl font-semibold tabular-nums">{layer.score ?? "–"}</span>
                  <GradeBadge grade={layer.grade} />
                </div>
              </div>
              <ScoreBar score={layer.score} label={`${layer.name}: ${layer.score === null ? "not evaluated" : `${layer.score} of 100`}`} className="mt-2 h-2 w-full" />
              <p className="mt-2 text-xs text-slate-700">
                {c.pass} passed · {c.fail} failed · {c.unknown} unknown{c.excepted ? ` · ${c.excepted} excepted` : ""} · coverage {percent(layer.coverage)}
                {layer.detail.cappedBy.length > 0 && <span className="font-medium text-red-800"> · capped by {layer.detail.cappedBy.join(" and ")}</span>}
              </p>
              {layer.score === null && <p className="mt-2 text-sm text-slate-700">Nothing in this layer could be evaluated: it is not counted as clean.</p>}
              {culprits.length > 0 ? (
                <div className="mt-3">
                  <p className="text-xs font-semibold uppercase tracking-wide text-slate-600">What pulls it down</p>
                  <ul className="mt-1 space-y-1.5 text-sm">
                    {culprits.map((check) => {
                      const evaluated = check.counts.pass + check.counts.fail + check.counts.unknown;
                      return (
                        <li key={check.id} className="flex flex-wrap items-center gap-x-2 gap-y-0.5">
                          <SeverityBadge severity={check.severity} />
                          <Link href={`/o/${slug}/checks/${check.id}`} className="text-blue-800 underline-offset-2 hover:underline">
                            {check.title}
                          </Link>
                          <Link href={`/o/${slug}/clusters/${clusterId}?check=${encodeURIComponent(check.id)}#findings`} className="text-xs text-slate-700 underline">
                            {check.status === "unknown" ? "could not be evaluated" : `${check.counts.fail} of ${evaluated} failing`}
                          </Link>
                        </li>
                      );
                    })}
                  </ul>
                </div>
              ) : (
                layer.score !== null && <p className="mt-3 text-sm text-green-800">Nothing failing in this layer.</p>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
