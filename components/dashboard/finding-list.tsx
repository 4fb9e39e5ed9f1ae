import Link from "next/link";
import type { FindingView } from "@/lib/findings/finding-view";
import { RBody, RCell, RHead, RRow, RTable } from "@/components/ui/responsive-table";
import { Badge } from "@/components/ui/badge";
import { SeverityBadge, StatusBadge } from "./severity";

export interface FindingListOptions {
  slug: string;
  /** For links to the resource view; a row's own cluster wins when it has one. */
  clusterId?: string;
  canManageExceptions: boolean;
  /** Hide the check column (the check page lists one check). */
  hideCheck?: boolean;
  /** Hide the resource column (the resource view is about one resource). */
  hideResource?: boolean;
  label: string;
}

export type FindingItem = FindingView & { cluster?: { id: string; name: string } };

export function resourceHref(slug: string, clusterId: string, r: { kind: string; namespace: string | null; name: string }): string {
  const params = new URLSearchParams({ kind: r.kind, ...(r.namespace ? { namespace: r.namespace } : {}), name: r.name });
  return `/o/${slug}/clusters/${clusterId}/resource?${params}`;
}

/** Findings as a table (stacked cards on phones): what, where exactly (resource, container, field path), and what to do. */
export function FindingList({ findings, options }: { findings: readonly FindingItem[]; options: FindingListOptions }) {
  // Fixed widths on wide screens: long image digests in messages wrap instead of pushing the actions off screen.
  const columns = [
    { label: "Severity", className: "md:w-28" },
    ...(options.hideCheck ? [] : [{ label: "Check", className: "md:w-52 lg:w-60" }]),
    ...(options.hideResource ? [] : [{ label: "Resource", className: "md:w-48 lg:w-60" }]),
    { label: "Where and why" },
    { label: "Actions", srOnly: true, className: "md:w-32" },
  ];
  return (
    <RTable label={options.label} className="md:table-fixed">
      <RHead columns={columns} />
      <RBody>
        {findings.map((f) => {
          const clusterId = f.cluster?.id ?? options.clusterId;
          return (
            <RRow key={`${f.cluster?.id ?? ""}:${f.id}`} data-finding-id={f.id}>
              <RCell label="Severity">
                <div className="flex flex-wrap gap-1">
                  <SeverityBadge severity={f.severity} />
                  {f.status !== "FAIL" && <StatusBadge status={f.status} />}
                  {f.isNew && <Badge tone="info">New</Badge>}
                </div>
              </RCell>
              {!options.hideCheck && (
                <RCell label="Check">
                  <Link href={`/o/${options.slug}/checks/${f.checkId}`} className="font-medium text-blue-800 underline-offset-2 hover:underline">
                    {f.checkTitle}
                  </Link>
                  <p className="font-mono text-xs wrap-anywhere text-slate-600">
                    L{f.layer} · {f.checkId}
                  </p>
                </RCell>
              )}
              {!options.hideResource && (
                <RCell label="Resource">
                  {clusterId ? (
                    <Link href={resourceHref(options.slug, clusterId, f.resource)} className="wrap-anywhere text-blue-800 underline-offset-2 hover:underline">
                      <span className="text-slate-700">{f.resource.kind}</span> {f.resource.namespace ? `${f.resource.namespace}/` : ""}
                      <span className="font-medium">{f.resource.name}</span>
                    </Link>
                  ) : (
                    <span className="wrap-anywhere">
                      {f.resource.kind} {f.resource.namespace ? `${f.resource.namespace}/` : ""}
                      {f.resource.name}
                    </span>
                  )}
                  {f.container && <p className="text-xs text-slate-700">container {f.container}</p>}
                  {f.cluster && <p className="text-xs text-slate-600">cluster {f.cluster.name}</p>}
                </RCell>
              )}
              <RCell label="Details">
                {options.hideResource && f.container && <p className="text-xs text-slate-700">container {f.container}</p>}
                {f.path && <p className="font-mono text-xs wrap-anywhere text-slate-800">{f.path}</p>}
                <p className="mt-0.5 wrap-anywhere text-slate-800">{f.message}</p>
              </RCell>
              <RCell className="md:text-right">
                {f.status === "EXCEPTED" ? (
                  <Link href={`/o/${options.slug}/exceptions`} className="text-xs text-slate-700 underline">
                    See exception
                  </Link>
                ) : (
                  options.canManageExceptions && (
                    <Link href={`/o/${options.slug}/exceptions/new?finding=${f.id}`} className="text-xs font-medium text-blue-800 underline" aria-label={`Add an exception for ${f.checkTitle} on ${f.resource.name}`}>
                      Add exception
                    </Link>
                  )
                )}
              </RCell>
            </RRow>
          );
        })}
      </RBody>
    </RTable>
  );
}
