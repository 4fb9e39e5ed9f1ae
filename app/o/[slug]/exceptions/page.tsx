import type { Metadata } from "next";
import Link from "next/link";
import { listExceptions } from "@/lib/exceptions/list-exceptions";
import { orgPageContext } from "@/lib/dashboard/org-context";
import { relativeTime, utcTimestamp } from "@/lib/dashboard/format";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { RBody, RCell, RHead, RRow, RTable } from "@/components/ui/responsive-table";
import { RevokeExceptionButton } from "@/components/dashboard/revoke-exception-button";
import { revokeExceptionAction } from "./actions";

export const metadata: Metadata = { title: "Exceptions" };

export default async function ExceptionsPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { slug } = await params;
  const all = (await searchParams).all === "1";
  const { scope } = await orgPageContext(slug, `/o/${slug}/exceptions`);
  const now = new Date();
  const exceptions = await listExceptions({ scope, includeInactive: all, now });
  const canManage = scope.can("exception:manage");

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Exceptions</h1>
          <p className="mt-1 max-w-3xl text-sm text-slate-700">
            Accepted risks: matching findings stay listed as excepted and leave the score until the exception expires or is revoked. Add one from a
            finding{canManage ? "" : " (admins and owners)"}.
          </p>
        </div>
        <nav aria-label="Which exceptions" className="flex gap-1 text-sm">
          <Link href={`/o/${slug}/exceptions`} aria-current={all ? undefined : "page"} className={`rounded-md px-3 py-1.5 ${all ? "text-slate-700 hover:bg-slate-100" : "bg-slate-900 text-white"}`}>
            In force
          </Link>
          <Link href={`/o/${slug}/exceptions?all=1`} aria-current={all ? "page" : undefined} className={`rounded-md px-3 py-1.5 ${all ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100"}`}>
            All, with expired and revoked
          </Link>
        </nav>
      </div>
      {exceptions.length === 0 ? (
        <Card>
          <p className="text-sm text-slate-700">
            {all ? "No exceptions yet." : "No exception in force."} To accept a risk, open a cluster&apos;s findings and choose &quot;Add exception&quot; on one.
          </p>
        </Card>
      ) : (
        <RTable label="Exceptions">
          <RHead columns={["Check", "Scope", "Reason", "Expires", "State", { label: "Actions", srOnly: true }]} />
          <RBody>
            {exceptions.map((e) => (
              <RRow key={e.id}>
                <RCell header label="Check" className="md:w-64">
                  <Link href={`/o/${slug}/checks/${e.checkId}`} className="font-medium text-blue-800 underline-offset-2 hover:underline">
                    {e.checkTitle}
                  </Link>
                  <p className="font-mono text-xs text-slate-600">{e.checkId}</p>
                </RCell>
                <RCell label="Scope">
                  <p>{e.cluster ? `Cluster ${e.cluster.name}` : "Every cluster"}</p>
                  <p className="text-xs text-slate-700">
                    {[e.namespace ? `namespace ${e.namespace}` : "every namespace", e.kind ? `kind ${e.kind}` : null, e.namePattern ? `name ${e.namePattern}` : null].filter(Boolean).join(", ")}
                  </p>
                  <p className="text-xs text-slate-600">{e.matchedFindings.toLocaleString("en-US")} findings excepted now</p>
                </RCell>
                <RCell label="Reason">
                  <p className="whitespace-pre-line break-words">{e.reason}</p>
                  <p className="mt-0.5 text-xs text-slate-600">
                    {e.createdBy ? `${e.createdBy.email}, ` : ""}
                    <time title={utcTimestamp(e.createdAt)}>{relativeTime(e.createdAt, now)}</time>
                  </p>
                </RCell>
                <RCell label="Expires">{e.expiresAt ? <time title={utcTimestamp(e.expiresAt)}>{relativeTime(e.expiresAt, now)}</time> : <span className="text-amber-800">never</span>}</RCell>
                <RCell label="State">{e.state === "active" ? <Badge tone="success">Active</Badge> : e.state === "expired" ? <Badge tone="warning">Expired</Badge> : <Badge>Revoked</Badge>}</RCell>
                <RCell className="md:text-right">{canManage && e.state === "active" && <RevokeExceptionButton slug={slug} exceptionId={e.id} label={e.checkTitle} action={revokeExceptionAction} />}</RCell>
              </RRow>
            ))}
          </RBody>
        </RTable>
      )}
    </div>
  );
}
