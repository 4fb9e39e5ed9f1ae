import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { checkById } from "@/lib/engine/checks/registry";
import { listCheckFindings } from "@/lib/findings/list-check-findings";
import { orgPageContext, orNotFound } from "@/lib/dashboard/org-context";
import { plural } from "@/lib/dashboard/format";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { SeverityBadge } from "@/components/dashboard/severity";
import { RemediationGuide } from "@/components/dashboard/remediation-guide";
import { FindingList, findingItem } from "@/components/dashboard/finding-list";

type Props = { params: Promise<{ slug: string; checkId: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { checkId } = await params;
  return { title: checkById(checkId)?.title ?? "Check" };
}

const REFERENCE_NAMES = { cis: "CIS Kubernetes Benchmark", nsa: "NSA/CISA Kubernetes Hardening Guide", kubescape: "Kubescape", polaris: "Polaris" } as const;

export default async function CheckPage({ params, searchParams }: Props) {
  const { slug, checkId } = await params;
  if (!checkById(checkId)) notFound();
  const query = await searchParams;
  const cursor = typeof query.cursor === "string" && query.cursor.length <= 200 ? query.cursor : undefined;
  const page = cursor && typeof query.page === "string" && /^\d{1,5}$/.test(query.page) ? Number(query.page) : 1;
  const { scope } = await orgPageContext(slug, `/o/${slug}/checks/${checkId}`);
  const result = await orNotFound(listCheckFindings({ scope, checkId, page: { cursor, limit: 50 } }));
  const { check } = result;
  const references = Object.entries(check.references).filter(([, v]) => Array.isArray(v) && v.length > 0) as [keyof typeof REFERENCE_NAMES, string[]][];

  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href={`/o/${slug}/checks`} className="underline">
          Checks
        </Link>{" "}
        / Layer {check.layer}
      </nav>
      <header className="space-y-2">
        <h1 className="text-2xl font-semibold">{check.title}</h1>
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
          <SeverityBadge severity={check.severity} />
          <Badge>
            Layer {check.layer}: {check.layerName}
          </Badge>
          <code className="font-mono text-xs">{check.id}</code>
        </p>
      </header>

      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <Card>
          <h2 className="text-lg font-semibold">Why it matters</h2>
          <p className="mt-2 text-sm leading-relaxed text-slate-800">{check.why}</p>
          <section aria-label="Remediation guide" className="mt-2">
            <RemediationGuide markdown={check.guide} />
          </section>
        </Card>
        <div className="space-y-6">
          <Card>
            <h2 className="text-lg font-semibold">Where it fails</h2>
            {result.clusters.length === 0 ? (
              <p className="mt-2 text-sm text-green-800">No cluster of this organization has a finding for this check.</p>
            ) : (
              <ul className="mt-2 space-y-1 text-sm">
                {result.clusters.map((c) => (
                  <li key={c.id} className="flex justify-between gap-2">
                    <Link href={`/o/${slug}/clusters/${c.id}?check=${encodeURIComponent(check.id)}#findings`} className="text-blue-800 underline">
                      {c.name}
                    </Link>
                    <span className="tabular-nums text-slate-700">{plural(c.count, "finding")}</span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
          {references.length > 0 && (
            <Card>
              <h2 className="text-lg font-semibold">References</h2>
              <dl className="mt-2 space-y-2 text-sm">
                {references.map(([key, values]) => (
                  <div key={key}>
                    <dt className="font-medium">{REFERENCE_NAMES[key] ?? key}</dt>
                    <dd className="text-slate-700">{values.join(", ")}</dd>
                  </div>
                ))}
              </dl>
            </Card>
          )}
        </div>
      </div>

      <section aria-labelledby="affected-heading" className="space-y-3">
        <h2 id="affected-heading" className="text-lg font-semibold">
          Affected resources <span className="font-normal text-slate-600">({result.total.toLocaleString("en-US")})</span>
        </h2>
        {result.findings.length === 0 ? (
          <Card>
            <p className="text-sm text-slate-700">Nothing to fix here across your clusters&apos; latest snapshots.</p>
          </Card>
        ) : (
          <FindingList findings={result.findings.map(findingItem)} options={{ slug, canManageExceptions: scope.can("exception:manage"), hideCheck: true, label: "Affected resources" }} />
        )}
        {(page > 1 || result.nextCursor) && (
          <nav aria-label="Affected resources pages" className="flex gap-2">
            {page > 1 && (
              <ButtonLink href={`/o/${slug}/checks/${check.id}#affected-heading`} variant="secondary">
                First page
              </ButtonLink>
            )}
            {result.nextCursor && (
              <ButtonLink href={`/o/${slug}/checks/${check.id}?cursor=${encodeURIComponent(result.nextCursor)}&page=${page + 1}#affected-heading`} variant="secondary">
                Next page
              </ButtonLink>
            )}
          </nav>
        )}
      </section>
    </div>
  );
}
