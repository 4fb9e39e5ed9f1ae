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

/** What a row shows (the rest of a finding stays on the server: pages ship this to the browser). */
export interface FindingItem {
  id: string;
  checkId: string;
  checkTitle: string;
  layer: number;
  severity: FindingView["severity"];
  status: FindingView["status"];
  resource: { kind: string; namespace: string | null; name: string };
  container: string | null;
  path: string | null;
  message: string;
  isNew: boolean;
  cluster?: { id: string; name: string };
}

export function findingItem(f: FindingView & { cluster?: { id: string; name: string } }): FindingItem {
  return {
    id: f.id,
    checkId: f.checkId,
    checkTitle: f.checkTitle,
    layer: f.layer,
    severity: f.severity,
    status: f.status,
    resource: { kind: f.resource.kind, namespace: f.resource.namespace, name: f.resource.name },
    container: f.container,
    path: f.path,
    message: f.message,
    isNew: f.isNew,
    ...(f.cluster ? { cluster: f.cluster } : {}),
  };
}

export function resourceHref(slug: string, clusterId: string, r: { kind: string; namespace: string | null; name: string }): string {
  const params = new URLSearchParams({ kind: r.kind, ...(r.namespace ? { namespace: r.namespace } : {}), name: r.name });
  return `/o/${slug}/clusters/${clusterId}/resource?${params}`;
}

const LINK = "text-blue-800 hover:underline";

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
          const where = `${f.resource.kind} ${f.resource.namespace ? `${f.resource.namespace}/` : ""}${f.resource.name}`;
          return (
            <RRow key={`${f.cluster?.id ?? ""}:${f.id}`}>
              <RCell label="Severity">
                <SeverityBadge severity={f.severity} /> {f.status !== "FAIL" && <StatusBadge status={f.status} />} {f.isNew && <Badge tone="info">New</Badge>}
              </RCell>
              {!options.hideCheck && (
                <RCell label="Check">
                  <Link href={`/o/${options.slug}/checks/${f.checkId}`} prefetch={false} className={`font-medium ${LINK}`}>
                    {f.checkTitle}
                  </Link>
                  <span className="block font-mono text-xs wrap-anywhere text-slate-600">
                    L{f.layer} · {f.checkId}
                  </span>
                </RCell>
              )}
              {!options.hideResource && (
                <RCell label="Resource" className="wrap-anywhere">
                  {clusterId ? (
                    <Link href={resourceHref(options.slug, clusterId, f.resource)} prefetch={false} className={LINK}>
                      {where}
                    </Link>
                  ) : (
                    where
                  )}
                  {f.container && <span className="block text-xs text-slate-700">container {f.container}</span>}
                  {f.cluster && <span className="block text-xs text-slate-600">cluster {f.cluster.name}</span>}
                </RCell>
              )}
              <RCell label="Details" className="wrap-anywhere">
                {options.hideResource && f.container && <span className="block text-xs text-slate-700">container {f.container}</span>}
                {f.path && <span className="block font-mono text-xs text-slate-800">{f.path}</span>}
                <span className="block">{f.message}</span>
              </RCell>
              <RCell className="text-xs md:text-right">
                {f.status === "EXCEPTED" ? (
                  <Link href={`/o/${options.slug}/exceptions`} prefetch={false} className="text-slate-700 underline">
                    See exception
                  </Link>
                ) : (
                  options.canManageExceptions && (
                    <Link href={`/o/${options.slug}/exceptions/new?finding=${f.id}`} prefetch={false} className="font-medium text-blue-800 underline" aria-label={`Add an exception for ${f.checkTitle} on ${f.resource.name}`}>
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
