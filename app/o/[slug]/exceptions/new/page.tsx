import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getFinding } from "@/lib/findings/get-finding";
import { orgPageContext, orNotFound } from "@/lib/dashboard/org-context";
import { dateInputAfter } from "@/lib/dashboard/format";
import { Card } from "@/components/ui/card";
import { SeverityBadge } from "@/components/dashboard/severity";
import { NotAllowed } from "@/components/dashboard/not-allowed";
import { ExceptionForm } from "@/components/dashboard/exception-form";
import { createExceptionAction } from "../actions";

export const metadata: Metadata = { title: "Add an exception" };

export default async function NewExceptionPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { slug } = await params;
  const findingId = (await searchParams).finding;
  if (typeof findingId !== "string" || !/^\d{1,19}$/.test(findingId)) notFound();
  const { scope } = await orgPageContext(slug, `/o/${slug}/exceptions/new?finding=${findingId}`);
  if (!scope.can("exception:manage")) return <NotAllowed what="Adding exceptions" role={scope.membership.role} />;
  const { finding, cluster, exceptionDraft } = await orNotFound(getFinding({ scope, findingId }));
  const defaultExpiry = dateInputAfter(new Date(), 90);

  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href={`/o/${slug}/clusters/${cluster.id}`} className="underline">
          {cluster.name}
        </Link>{" "}
        / Add an exception
      </nav>
      <Card className="max-w-3xl space-y-5">
        <div>
          <h1 className="text-xl font-semibold">Add an exception</h1>
          <p className="mt-1 text-sm text-slate-700">Matching findings stay visible as excepted and leave the score. The cluster is re-evaluated within seconds.</p>
        </div>
        <div className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm">
          <p className="flex flex-wrap items-center gap-2">
            <SeverityBadge severity={finding.severity} />
            <span className="font-medium">{finding.checkTitle}</span>
          </p>
          <p className="mt-1 break-all">
            {finding.resource.kind} {finding.resource.namespace ? `${finding.resource.namespace}/` : ""}
            {finding.resource.name}
            {finding.container ? `, container ${finding.container}` : ""}
          </p>
          {finding.path && <p className="break-all font-mono text-xs text-slate-700">{finding.path}</p>}
          <p className="mt-1 text-slate-700">{finding.message}</p>
        </div>
        <ExceptionForm slug={slug} cluster={cluster} draft={{ ...exceptionDraft, checkTitle: finding.checkTitle }} defaultExpiry={defaultExpiry} action={createExceptionAction} />
      </Card>
    </div>
  );
}
