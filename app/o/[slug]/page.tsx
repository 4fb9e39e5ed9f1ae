import type { Metadata } from "next";
import { listClusters } from "@/lib/clusters/list-clusters";
import { orgPageContext } from "@/lib/dashboard/org-context";
import { applyFleetQuery, isFiltered, readFleetQuery } from "@/lib/dashboard/fleet-query";
import { plural } from "@/lib/dashboard/format";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { FleetTable } from "@/components/dashboard/fleet-table";
import { FleetControls } from "@/components/dashboard/fleet-controls";
import { FleetEmptyState } from "@/components/dashboard/fleet-empty-state";
import { AutoRefresh } from "@/components/dashboard/auto-refresh";

export const metadata: Metadata = { title: "Clusters" };

export default async function FleetOverviewPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { slug } = await params;
  const { scope } = await orgPageContext(slug);
  const now = new Date();
  const clusters = await listClusters({ scope, now });
  const query = readFleetQuery(await searchParams);
  const shown = applyFleetQuery(clusters, query);
  const canRegister = scope.can("cluster:create");
  const environments = [...new Set(clusters.map((c) => c.environment))].sort();
  const pending = clusters.some((c) => c.pending);
  const waiting = clusters.some((c) => c.health === "waiting");
  const staleCount = clusters.filter((c) => c.stale).length;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">{scope.membership.orgName}</h1>
          {clusters.length > 0 && (
            <p className="mt-1 text-sm text-slate-700">
              {plural(clusters.length, "cluster")}
              {staleCount > 0 && <span className="text-amber-800"> · {plural(staleCount, "stale cluster")}</span>}
            </p>
          )}
        </div>
        {canRegister && clusters.length > 0 && <ButtonLink href={`/o/${slug}/clusters/new`}>Register a cluster</ButtonLink>}
      </div>
      {(pending || waiting) && <AutoRefresh intervalMs={pending ? 4000 : 15000} />}
      {clusters.length === 0 ? (
        <FleetEmptyState slug={slug} canRegister={canRegister} />
      ) : (
        <>
          <FleetControls query={query} environments={environments} />
          {shown.length === 0 ? (
            <Card>
              <p className="text-sm text-slate-700">No cluster matches these filters{isFiltered(query) ? "." : ""}</p>
            </Card>
          ) : (
            <>
              <p className="sr-only" role="status">
                {shown.length === clusters.length ? `Showing all ${plural(clusters.length, "cluster")}` : `Showing ${shown.length} of ${plural(clusters.length, "cluster")}`}
              </p>
              <FleetTable slug={slug} clusters={shown} now={now} />
            </>
          )}
        </>
      )}
    </div>
  );
}
