import type { Metadata } from "next";
import Link from "next/link";
import { orgPageContext, orNotFound } from "@/lib/dashboard/org-context";
import { getCluster } from "@/lib/clusters/get-cluster";
import { listAgentTokens } from "@/lib/clusters/list-agent-tokens";
import { relativeTime, scheduleLabel, utcTimestamp } from "@/lib/dashboard/format";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { HealthBadge } from "@/components/dashboard/health";
import { AgentTokens } from "@/components/dashboard/agent-tokens";
import { ClusterSettingsForm } from "@/components/dashboard/cluster-settings-form";
import { DeleteClusterForm } from "@/components/dashboard/delete-cluster-form";
import { deleteClusterAction, revokeTokenAction, rotateTokenAction, updateClusterAction } from "./actions";

export const metadata: Metadata = { title: "Agent and settings" };

export default async function ClusterSettingsPage({ params }: { params: Promise<{ slug: string; clusterId: string }> }) {
  const { slug, clusterId } = await params;
  const { scope } = await orgPageContext(slug, `/o/${slug}/clusters/${clusterId}/settings`);
  const now = new Date();
  const [cluster, tokens] = await Promise.all([orNotFound(getCluster({ scope, clusterId, now })), orNotFound(listAgentTokens({ scope, clusterId }))]);
  const recent = cluster.recentSnapshots.slice(0, 10);

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href={`/o/${slug}`} className="underline">
          Clusters
        </Link>{" "}
        /{" "}
        <Link href={`/o/${slug}/clusters/${cluster.id}`} className="underline">
          {cluster.name}
        </Link>{" "}
        / Agent and settings
      </nav>
      <h1 className="text-2xl font-semibold">Agent and settings</h1>

      <Card>
        <h2 className="text-lg font-semibold">Agent</h2>
        {cluster.stale && (
          <div className="mt-3">
            <Alert tone="warning" title="Stale">
              No snapshot for over twice the schedule ({scheduleLabel(cluster.scheduleMinutes)}).
            </Alert>
          </div>
        )}
        <dl className="mt-3 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-3">
          <div>
            <dt className="text-slate-600">Status</dt>
            <dd className="mt-0.5">
              <HealthBadge health={cluster.health} />
            </dd>
          </div>
          <div>
            <dt className="text-slate-600">Last seen</dt>
            <dd className="mt-0.5 font-medium">
              <time dateTime={cluster.lastSeenAt?.toISOString()} title={utcTimestamp(cluster.lastSeenAt)}>
                {relativeTime(cluster.lastSeenAt, now)}
              </time>
            </dd>
          </div>
          <div>
            <dt className="text-slate-600">Schedule</dt>
            <dd className="mt-0.5 font-medium">{scheduleLabel(cluster.scheduleMinutes)}</dd>
          </div>
          <div>
            <dt className="text-slate-600">Agent version</dt>
            <dd className="mt-0.5 font-medium">{cluster.agentVersion ?? "not seen yet"}</dd>
          </div>
          <div>
            <dt className="text-slate-600">Snapshot schema version</dt>
            <dd className="mt-0.5 font-medium">{cluster.schemaVersion ?? "not seen yet"}</dd>
          </div>
          <div>
            <dt className="text-slate-600">Kubernetes</dt>
            <dd className="mt-0.5 font-medium">
              {cluster.kubernetesVersion ?? "not seen yet"}
              {cluster.provider ? ` (${cluster.provider})` : ""}
            </dd>
          </div>
        </dl>
        {recent.length > 0 && (
          <details className="mt-4 text-sm">
            <summary className="cursor-pointer font-medium">Recent snapshots</summary>
            <ul className="mt-2 space-y-1">
              {recent.map((s) => (
                <li key={s.id} className="flex flex-wrap gap-x-3">
                  <span className="font-mono text-xs text-slate-600">{s.id.slice(0, 8)}</span>
                  <span>{s.status.toLowerCase()}</span>
                  <span className="text-slate-700">{utcTimestamp(s.collectedAt ?? s.receivedAt)}</span>
                  {s.score !== null && (
                    <span>
                      score {s.score} ({s.grade})
                    </span>
                  )}
                  {s.error && <span className="text-red-700">{s.error}</span>}
                </li>
              ))}
            </ul>
          </details>
        )}
      </Card>

      <AgentTokens
        slug={slug}
        clusterId={cluster.id}
        tokens={tokens.map((t) => ({ id: t.id, prefix: t.prefix, createdAt: t.createdAt.toISOString(), createdBy: t.createdBy?.email ?? null, lastUsedAt: t.lastUsedAt?.toISOString() ?? null, revokedAt: t.revokedAt?.toISOString() ?? null }))}
        canManage={scope.can("token:manage")}
        rotate={rotateTokenAction}
        revoke={revokeTokenAction}
      />

      {scope.can("cluster:update") && (
        <Card>
          <h2 className="text-lg font-semibold">Cluster</h2>
          <ClusterSettingsForm slug={slug} clusterId={cluster.id} initial={{ name: cluster.name, environment: cluster.environment, scheduleMinutes: cluster.scheduleMinutes }} action={updateClusterAction} />
        </Card>
      )}

      {scope.can("cluster:delete") && (
        <Card className="border-red-200">
          <h2 className="text-lg font-semibold text-red-900">Delete this cluster</h2>
          <p className="mt-1 text-sm text-slate-700">Its tokens stop working at once; its snapshots, findings, scores and cluster-specific exceptions are deleted. The audit log keeps the event.</p>
          <DeleteClusterForm slug={slug} clusterId={cluster.id} clusterName={cluster.name} action={deleteClusterAction} />
        </Card>
      )}
    </div>
  );
}
