import Link from "next/link";
import type { SnapshotChangesView } from "@/lib/dashboard/snapshot-findings";
import type { FindingView } from "@/lib/findings/finding-view";
import { plural } from "@/lib/dashboard/format";
import { SeverityBadge } from "./severity";

function Item({ slug, f }: { slug: string; f: FindingView }) {
  return (
    <li className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5 text-sm">
      <SeverityBadge severity={f.severity} />
      <Link href={`/o/${slug}/checks/${f.checkId}`} className="text-blue-800 underline-offset-2 hover:underline">
        {f.checkTitle}
      </Link>
      <span className="wrap-anywhere text-slate-700">
        {f.resource.kind} {f.resource.namespace ? `${f.resource.namespace}/` : ""}
        {f.resource.name}
        {f.container ? ` (${f.container})` : ""}
      </span>
    </li>
  );
}

/** New and resolved findings since the previous snapshot, with the score before and after. */
export function ChangesPanel({ slug, clusterId, score, changes }: { slug: string; clusterId: string; score: number; changes: SnapshotChangesView }) {
  const previous = changes.previous;
  return (
    <section aria-labelledby="changes-heading" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 id="changes-heading" className="text-lg font-semibold">
        What changed
      </h2>
      {!previous ? (
        <p className="mt-2 text-sm text-slate-700">This is the first snapshot: the next one will be compared with it.</p>
      ) : (
        <>
          <p className="mt-1 text-sm text-slate-700">
            Since the previous snapshot (score {previous.score ?? "–"} → {score}): <span className="font-medium">{plural(changes.newCount, "new finding")}</span>,{" "}
            <span className="font-medium">{plural(changes.resolvedCount, "resolved finding")}</span>.
          </p>
          <div className="mt-3 grid gap-4 md:grid-cols-2">
            <div>
              <h3 className="text-sm font-semibold text-red-800">New ({changes.newCount.toLocaleString("en-US")})</h3>
              {changes.newFindings.length ? (
                <ul className="mt-1 space-y-1">
                  {changes.newFindings.map((f) => (
                    <Item key={f.id} slug={slug} f={f} />
                  ))}
                </ul>
              ) : (
                <p className="mt-1 text-sm text-slate-600">Nothing new.</p>
              )}
              {changes.newCount > changes.newFindings.length && (
                <Link href={`/o/${slug}/clusters/${clusterId}?new=1#findings`} className="mt-1 inline-block text-sm text-blue-800 underline">
                  All {changes.newCount.toLocaleString("en-US")} new findings
                </Link>
              )}
            </div>
            <div>
              <h3 className="text-sm font-semibold text-green-800">Resolved ({changes.resolvedCount.toLocaleString("en-US")})</h3>
              {changes.resolvedFindings.length ? (
                <ul className="mt-1 space-y-1">
                  {changes.resolvedFindings.map((f) => (
                    <Item key={f.id} slug={slug} f={f} />
                  ))}
                </ul>
              ) : (
                <p className="mt-1 text-sm text-slate-600">Nothing resolved.</p>
              )}
              {changes.resolvedCount > changes.resolvedFindings.length && <p className="mt-1 text-sm text-slate-600">and {(changes.resolvedCount - changes.resolvedFindings.length).toLocaleString("en-US")} more</p>}
            </div>
          </div>
        </>
      )}
    </section>
  );
}
