import Link from "next/link";
import type { ClusterOverview } from "@/lib/clusters/cluster-overview";
import { percent, relativeTime, utcTimestamp } from "@/lib/dashboard/format";
import { RBody, RCell, RHead, RRow, RTable } from "@/components/ui/responsive-table";
import { Badge } from "@/components/ui/badge";
import { GradeBadge } from "./grade";
import { LayerMiniBars } from "./layer-bars";
import { Sparkline } from "./sparkline";
import { SeverityCounts } from "./severity";
import { HealthBadge } from "./health";

export function FleetTable({ slug, clusters, now }: { slug: string; clusters: ClusterOverview[]; now: Date }) {
  return (
    <RTable label="Clusters">
      <RHead columns={["Cluster", "Score", "Layers", "Trend", "Failing findings", "Last seen"]} />
      <RBody>
        {clusters.map((c) => {
          const latest = c.latest;
          const partial = latest !== null && latest.coverage < 1;
          return (
            <RRow key={c.id} className="md:hover:bg-slate-50">
              <RCell header className="md:w-56">
                <Link href={`/o/${slug}/clusters/${c.id}`} className="font-semibold text-blue-800 underline-offset-2 hover:underline">
                  {c.name}
                </Link>
                <div className="mt-1 flex flex-wrap items-center gap-1 text-xs text-slate-600">
                  <Badge>{c.environment}</Badge>
                  {c.health !== "ok" && <HealthBadge health={c.health} />}
                </div>
              </RCell>
              <RCell label="Score">
                {latest ? (
                  <div className="flex items-center gap-2">
                    <GradeBadge grade={latest.grade} />
                    <span className="text-lg font-semibold tabular-nums">{latest.score}</span>
                    {partial && (
                      <Badge tone="warning" title="Part of the cluster could not be read: the score covers only what was seen">
                        {percent(latest.coverage)} coverage
                      </Badge>
                    )}
                  </div>
                ) : (
                  <span className="text-slate-600">No score yet</span>
                )}
                {c.pending && <p className="mt-1 text-xs text-blue-800">New snapshot {c.pending.status === "RECEIVING" ? "arriving" : "being evaluated"}…</p>}
                {c.lastFailure && <p className="mt-1 text-xs text-red-700">Last snapshot failed</p>}
              </RCell>
              <RCell label="Layers">{latest ? <LayerMiniBars layers={latest.layers} /> : <span className="text-slate-600">–</span>}</RCell>
              <RCell label="Trend">
                <Sparkline points={c.trend.map((t) => ({ at: Date.parse(`${t.day}T12:00:00Z`), score: t.score, label: `${t.day}: ${t.score}` }))} />
              </RCell>
              <RCell label="Failing">{latest ? <SeverityCounts counts={latest.findingsBySeverity} /> : <span className="text-slate-600">–</span>}</RCell>
              <RCell label="Last seen">
                <time dateTime={c.lastSeenAt?.toISOString()} title={utcTimestamp(c.lastSeenAt)} className={c.stale ? "font-medium text-amber-800" : "text-slate-700"}>
                  {relativeTime(c.lastSeenAt, now)}
                </time>
                {c.stale && <p className="text-xs text-amber-800">No snapshot for over twice its schedule</p>}
              </RCell>
            </RRow>
          );
        })}
      </RBody>
    </RTable>
  );
}
