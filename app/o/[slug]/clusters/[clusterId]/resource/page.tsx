import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { orgPageContext, orNotFound } from "@/lib/dashboard/org-context";
import { listResourceFindings, resourceRefSchema } from "@/lib/findings/list-resource-findings";
import { relativeTime, utcTimestamp } from "@/lib/dashboard/format";
import { Card } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { FindingList } from "@/components/dashboard/finding-list";

export const metadata: Metadata = { title: "Resource" };

type Props = { params: Promise<{ slug: string; clusterId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ResourcePage({ params, searchParams }: Props) {
  const { slug, clusterId } = await params;
  const query = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const ref = resourceRefSchema.safeParse({ kind: first(query.kind), namespace: first(query.namespace), name: first(query.name) });
  if (!ref.success) notFound();
  const { scope } = await orgPageContext(slug, `/o/${slug}/clusters/${clusterId}`);
  const [cluster, result] = await Promise.all([
    scope.db.cluster.findFirst({ where: { id: clusterId, orgId: scope.orgId }, select: { id: true, name: true } }),
    orNotFound(listResourceFindings({ scope, clusterId, resource: ref.data })),
  ]);
  if (!cluster) notFound();
  const r = result.resource;
  const title = `${r.kind} ${r.namespace ? `${r.namespace}/` : ""}${r.name}`;

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
        / {r.kind}
      </nav>
      <header className="space-y-1">
        <h1 className="text-2xl font-semibold break-all">{title}</h1>
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
          {r.apiVersion && <Badge>{r.apiVersion}</Badge>}
          {result.snapshot && (
            <span>
              In the snapshot of{" "}
              <time dateTime={result.snapshot.collectedAt?.toISOString()} title={utcTimestamp(result.snapshot.collectedAt)}>
                {relativeTime(result.snapshot.collectedAt)}
              </time>
              : {result.counts.fail} failing, {result.counts.unknown} unknown, {result.counts.excepted} excepted.
            </span>
          )}
        </p>
      </header>
      {result.findings.length === 0 ? (
        <Card>
          <p className="text-sm text-slate-700">
            {result.snapshot ? "No findings for this resource in the latest snapshot: every check that looked at it passed, or it is not in the cluster any more." : "This cluster has no snapshot yet."}
          </p>
        </Card>
      ) : (
        <section aria-labelledby="resource-findings" className="space-y-3">
          <h2 id="resource-findings" className="text-lg font-semibold">
            Findings and the fields that fail
          </h2>
          <FindingList findings={result.findings} options={{ slug, clusterId: cluster.id, canManageExceptions: scope.can("exception:manage"), hideResource: true, label: `Findings for ${title}` }} />
        </section>
      )}
    </div>
  );
}
