import type { Metadata } from "next";
import Link from "next/link";
import { orgPageContext, orNotFound } from "@/lib/dashboard/org-context";
import { loadClusterPage } from "@/lib/dashboard/cluster-page";
import { findingsQueryString, readFindingsUrlState } from "@/lib/dashboard/findings-url";
import { relativeTime, scheduleLabel, utcTimestamp } from "@/lib/dashboard/format";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { HealthBadge } from "@/components/dashboard/health";
import { ScorePanel } from "@/components/dashboard/score-panel";
import { LayerCards } from "@/components/dashboard/layer-cards";
import { ScoreChart } from "@/components/dashboard/score-chart";
import { ChangesPanel } from "@/components/dashboard/changes-panel";
import { FindingsExplorer } from "@/components/dashboard/findings-explorer";
import { findingItem } from "@/components/dashboard/finding-list";
import { checkById } from "@/lib/engine/checks/registry";
import { LiveStatus } from "@/components/dashboard/live-status";

export const metadata: Metadata = { title: "Cluster" };

type Props = { params: Promise<{ slug: string; clusterId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ClusterPage({ params, searchParams }: Props) {
  const { slug, clusterId } = await params;
  const { scope } = await orgPageContext(slug, `/o/${slug}/clusters/${clusterId}`);
  const query = await searchParams;
  const state = readFindingsUrlState(query);
  const now = new Date();
  const data = await orNotFound(loadClusterPage({ scope, clusterId, state, now }));
  const { cluster } = data;
  const latest = cluster.latest;
  // ?updating=<time an exception was added>: until the snapshot is evaluated after it, the page says it is coming.
  const updatingSince = typeof query.updating === "string" ? Date.parse(query.updating) : Number.NaN;
  const awaitingReevaluation = Boolean(latest) && Number.isFinite(updatingSince) && now.getTime() - updatingSince < 5 * 60_000 && (latest!.evaluatedAt?.getTime() ?? 0) < updatingSince;

  return (
    <div className="space-y-8">
      <LiveStatus slug={slug} clusterId={cluster.id} version={data.statusVersion} waiting={!latest} awaitingReevaluation={awaitingReevaluation} />
      <header className="space-y-2">
        <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
          <Link href={`/o/${slug}`} className="underline">
            Clusters
          </Link>{" "}
          / {cluster.name}
        </nav>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-2xl font-semibold break-all">{cluster.name}</h1>
            <Badge>{cluster.environment}</Badge>
            <HealthBadge health={cluster.health} />
          </div>
          <ButtonLink href={`/o/${slug}/clusters/${cluster.id}/settings`} variant="secondary">
            Agent and settings
          </ButtonLink>
        </div>
        <dl className="flex flex-wrap gap-x-5 gap-y-1 text-sm text-slate-700">
          <div className="flex gap-1">
            <dt>Last seen</dt>
            <dd className={cluster.stale ? "font-medium text-amber-800" : "font-medium"}>
              <time dateTime={cluster.lastSeenAt?.toISOString()} title={utcTimestamp(cluster.lastSeenAt)}>
                {relativeTime(cluster.lastSeenAt, now)}
              </time>
            </dd>
          </div>
          <div className="flex gap-1">
            <dt>Schedule</dt>
            <dd className="font-medium">{scheduleLabel(cluster.scheduleMinutes)}</dd>
          </div>
          {cluster.agentVersion && (
            <div className="flex gap-1">
              <dt>Agent</dt>
              <dd className="font-medium">{cluster.agentVersion}</dd>
            </div>
          )}
          {cluster.schemaVersion && (
            <div className="flex gap-1">
              <dt>Schema</dt>
              <dd className="font-medium">{cluster.schemaVersion}</dd>
            </div>
          )}
          {cluster.kubernetesVersion && (
            <div className="flex gap-1">
              <dt>Kubernetes</dt>
              <dd className="font-medium">
                {cluster.kubernetesVersion}
                {cluster.provider ? ` (${cluster.provider})` : ""}
              </dd>
            </div>
          )}
        </dl>
      </header>

      {cluster.stale && (
        <Alert tone="warning" title="Stale: no snapshot for over twice the schedule">
          The last snapshot arrived {relativeTime(cluster.lastSeenAt, now)}; the agent runs {scheduleLabel(cluster.scheduleMinutes)}. Check the agent&apos;s CronJob (
          <code>kubectl -n ramparts get cronjob,jobs</code>) and its token. The score below may no longer match the cluster.
        </Alert>
      )}
      {cluster.lastFailure && (
        <Alert tone="error" title="The latest snapshot could not be used">
          {cluster.lastFailure.error} ({relativeTime(cluster.lastFailure.at, now)}). The score below is from the last good snapshot.
        </Alert>
      )}

      {!latest ? (
        <Card>
          <h2 className="text-lg font-semibold">Waiting for the first snapshot</h2>
          <p className="mt-2 max-w-2xl text-sm text-slate-700">
            Install the agent with the token you were given when you registered the cluster. This page updates as soon as the first snapshot has been
            evaluated. Lost the token? Issue a new one on the{" "}
            <Link href={`/o/${slug}/clusters/${cluster.id}/settings`} className="underline">
              agent and settings
            </Link>{" "}
            page.
          </p>
        </Card>
      ) : (
        <>
          <ScorePanel latest={latest} coverage={cluster.coverage} counts={cluster.counts} now={now} />
          <LayerCards slug={slug} clusterId={cluster.id} layers={cluster.layers} />
          <div className="grid gap-6 lg:grid-cols-2">
            <section aria-labelledby="history-heading" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
              <h2 id="history-heading" className="text-lg font-semibold">
                Score over time
              </h2>
              <div className="mt-2">
                <ScoreChart points={data.series} />
              </div>
            </section>
            {data.changes && <ChangesPanel slug={slug} clusterId={cluster.id} score={latest.score} changes={data.changes} />}
          </div>
          {data.findings && (
            <FindingsExplorer
              key={data.findings.snapshotId + data.statusVersion}
              slug={slug}
              clusterId={cluster.id}
              snapshotId={`${data.findings.snapshotId}:${data.statusVersion}`}
              initialQuery={findingsQueryString(state)}
              initial={{ findings: data.findings.findings.map(findingItem), total: data.findings.total, nextCursor: data.findings.nextCursor }}
              selectedCheckTitle={state.check ? (checkById(state.check)?.title ?? null) : null}
              canManageExceptions={scope.can("exception:manage")}
              canExport={scope.can("finding:export")}
            />
          )}
        </>
      )}
    </div>
  );
}
