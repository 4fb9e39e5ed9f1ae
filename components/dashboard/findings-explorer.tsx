"use client";

import { useState } from "react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { LAYERS } from "@/lib/engine/model/layers";
import { findingFilterParams, findingsQueryString, hasFilters, readFindingsUrlState, withFilter, SEVERITIES, STATUSES, type FilterKey, type FindingsUrlState } from "@/lib/dashboard/findings-url";
import { plural } from "@/lib/dashboard/format";
import { Alert } from "@/components/ui/alert";
import { useHydrated } from "@/components/ui/use-hydrated";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/select";
import { FindingList, type FindingItem } from "./finding-list";
import { SEVERITY_LABEL, STATUS_LABEL } from "./severity";

export interface FindingsPageData {
  findings: FindingItem[];
  total: number;
  nextCursor: string | null;
}

export interface FindingFacetOptions {
  namespaces: { value: string; label: string; count: number }[];
  checks: { id: string; title: string; count: number }[];
}

async function fetchFacets(slug: string, clusterId: string, signal: AbortSignal): Promise<FindingFacetOptions> {
  const response = await fetch(`/o/${encodeURIComponent(slug)}/clusters/${encodeURIComponent(clusterId)}/facets`, { signal, headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`The filter menus could not be loaded (${response.status})`);
  return ((await response.json()) as { facets: FindingFacetOptions }).facets;
}

interface Props {
  slug: string;
  clusterId: string;
  snapshotId: string;
  /** The state the server rendered (from the URL) and its rows. */
  initialQuery: string;
  initial: FindingsPageData;
  /** The selected check's title, for its option until the menus arrive. */
  selectedCheckTitle: string | null;
  canManageExceptions: boolean;
  canExport: boolean;
}

async function fetchFindings(slug: string, clusterId: string, query: string, signal: AbortSignal): Promise<FindingsPageData> {
  const params = new URLSearchParams(query);
  params.delete("page");
  const response = await fetch(`/api/orgs/${encodeURIComponent(slug)}/clusters/${encodeURIComponent(clusterId)}/findings?${params}`, { signal, headers: { accept: "application/json" } });
  const body = (await response.json().catch(() => null)) as (FindingsPageData & { error?: { message: string } }) | null;
  if (!response.ok || !body) throw new Error(body?.error?.message ?? `The findings could not be loaded (${response.status})`);
  return { findings: body.findings, total: body.total, nextCursor: body.nextCursor };
}

/** The findings table: filters, search and pages live in the URL; rows come from the API through React Query. */
export function FindingsExplorer({ slug, clusterId, snapshotId, initialQuery, initial, selectedCheckTitle, canManageExceptions, canExport }: Props) {
  const hydrated = useHydrated();
  const searchParams = useSearchParams();
  const state = readFindingsUrlState(searchParams);
  const query = findingsQueryString(state);
  // Cursors of the pages seen in this visit, so "Previous" works with keyset pages.
  const [cursors, setCursors] = useState<ReadonlyMap<number, string | undefined>>(() => new Map([[1, undefined]]));
  const [text, setText] = useState(state.q ?? "");
  // Back/forward to another search: show its text (state derived from the URL while rendering).
  const [shownQ, setShownQ] = useState(state.q ?? "");
  if ((state.q ?? "") !== shownQ) {
    setShownQ(state.q ?? "");
    setText(state.q ?? "");
  }

  const result = useQuery({
    queryKey: ["findings", slug, clusterId, snapshotId, query],
    queryFn: ({ signal }) => fetchFindings(slug, clusterId, query, signal),
    initialData: query === initialQuery ? initial : undefined,
    placeholderData: keepPreviousData,
  });

  // The menus load after the page (hundreds of options would weigh on every render); until then they hold the current choice.
  const facetsQuery = useQuery({ queryKey: ["facets", slug, clusterId, snapshotId], queryFn: ({ signal }) => fetchFacets(slug, clusterId, signal), staleTime: Number.POSITIVE_INFINITY });
  const facets: FindingFacetOptions = facetsQuery.data ?? {
    namespaces: state.namespace ? [{ value: state.namespace, label: state.namespace === "-" ? "(cluster-scoped)" : state.namespace, count: Number.NaN }] : [],
    checks: state.check ? [{ id: state.check, title: selectedCheckTitle ?? state.check, count: Number.NaN }] : [],
  };
  const countLabel = (n: number) => (Number.isNaN(n) ? "" : ` (${n.toLocaleString("en-US")})`);

  const navigate = (next: FindingsUrlState, mode: "push" | "replace" = "push") => {
    const qs = findingsQueryString(next);
    const url = `${window.location.pathname}${qs ? `?${qs}` : ""}#findings`;
    window.history[mode === "push" ? "pushState" : "replaceState"](null, "", url);
  };
  const setFilter = (key: FilterKey, value: string | boolean | undefined) => navigate(withFilter(state, key, value));

  const data = result.data;
  const exportQuery = new URLSearchParams(findingFilterParams(state));
  const exportHref = (format: string) => {
    const p = new URLSearchParams(exportQuery);
    p.set("format", format);
    return `/api/orgs/${encodeURIComponent(slug)}/clusters/${encodeURIComponent(clusterId)}/findings/export?${p}`;
  };
  const prevCursorKnown = state.page > 1 && cursors.has(state.page - 1);

  return (
    <section id="findings" aria-labelledby="findings-heading" className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="findings-heading" className="text-lg font-semibold">
          Findings
        </h2>
        {canExport && (
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <span className="text-slate-700">Export{hasFilters(state) ? " (filtered)" : ""}:</span>
            <a href={exportHref("json")} className="rounded border border-slate-300 bg-white px-2 py-1 font-medium text-blue-800 hover:bg-slate-100" download>
              JSON
            </a>
            <a href={exportHref("csv")} className="rounded border border-slate-300 bg-white px-2 py-1 font-medium text-blue-800 hover:bg-slate-100" download>
              CSV
            </a>
            <a href={exportHref("sarif")} className="rounded border border-slate-300 bg-white px-2 py-1 font-medium text-blue-800 hover:bg-slate-100" download>
              SARIF
            </a>
          </div>
        )}
      </div>

      <form
        role="search"
        aria-label="Filter findings"
        className="grid grid-cols-2 gap-3 rounded-lg border border-slate-200 bg-white p-3 sm:grid-cols-3 lg:grid-cols-6"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter("q", text.trim());
        }}
      >
        <fieldset disabled={!hydrated} className="contents">
          <div className="col-span-2 sm:col-span-3 lg:col-span-2">
            <label htmlFor="findings-q" className="block text-sm font-medium text-slate-800">
              Search findings
            </label>
            <div className="mt-1 flex gap-2">
              <input
                id="findings-q"
                type="search"
                value={text}
                onChange={(e) => setText(e.target.value)}
                placeholder="Resource, namespace, check or message"
                className="block w-full min-w-0 rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm"
              />
              <Button type="submit" variant="secondary">
                Search
              </Button>
            </div>
          </div>
          <Select label="Layer" value={state.layer ? String(state.layer) : ""} onChange={(e) => setFilter("layer", e.target.value)}>
            <option value="">All layers</option>
            {LAYERS.map((l) => (
              <option key={l.id} value={l.id}>
                {l.id}. {l.name}
              </option>
            ))}
          </Select>
          <Select label="Severity" value={state.severity ?? ""} onChange={(e) => setFilter("severity", e.target.value)}>
            <option value="">All severities</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {SEVERITY_LABEL[s]}
              </option>
            ))}
          </Select>
          <Select label="Status" value={state.status ?? ""} onChange={(e) => setFilter("status", e.target.value)}>
            <option value="">All statuses</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </Select>
          <Select label="Namespace" value={state.namespace ?? ""} onChange={(e) => setFilter("namespace", e.target.value)}>
            <option value="">All namespaces</option>
            {facets.namespaces.map((n) => (
              <option key={n.value} value={n.value}>
                {n.label}
              {countLabel(n.count)}
              </option>
            ))}
          </Select>
          <Select label="Check" value={state.check ?? ""} onChange={(e) => setFilter("check", e.target.value)} className="col-span-2 sm:col-span-2 lg:col-span-3">
            <option value="">All checks</option>
            {state.check && !facets.checks.some((c) => c.id === state.check) && <option value={state.check}>{selectedCheckTitle ?? state.check}</option>}
            {facets.checks.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              {countLabel(c.count)}
              </option>
            ))}
          </Select>
          <div className="col-span-2 flex flex-wrap items-center gap-3 sm:col-span-1 lg:col-span-3 lg:justify-end">
            <label className="flex items-center gap-2 text-sm text-slate-800">
              <input type="checkbox" checked={Boolean(state.new)} onChange={(e) => setFilter("new", e.target.checked)} className="h-4 w-4" />
              New since the previous snapshot
            </label>
            {hasFilters(state) && (
              <Button
                type="button"
                variant="ghost"
                onClick={() => {
                  setText("");
                  navigate({ page: 1 });
                }}
              >
                Clear filters
              </Button>
            )}
          </div>
        </fieldset>
      </form>

      <p role="status" aria-live="polite" className="text-sm text-slate-700">
        {result.isFetching && !result.isPlaceholderData ? "Loading findings…" : data ? `${plural(data.total, "finding")}${hasFilters(state) ? " match these filters" : ""}${state.page > 1 ? `, page ${state.page}` : ""}` : ""}
        {result.isPlaceholderData && " (updating…)"}
      </p>

      {result.isError && (
        <Alert tone="error" title="The findings could not be loaded">
          {result.error.message}{" "}
          <button type="button" className="underline" onClick={() => result.refetch()}>
            Try again
          </button>
        </Alert>
      )}

      {data && data.findings.length === 0 && !result.isError ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-700">
          {hasFilters(state) ? "No finding matches these filters." : "No findings: every evaluated check passed."}
        </p>
      ) : (
        data && (
          <div className={result.isPlaceholderData ? "opacity-60" : ""}>
            <FindingList findings={data.findings} options={{ slug, clusterId, canManageExceptions, label: "Findings" }} />
          </div>
        )
      )}

      {data && (state.page > 1 || data.nextCursor) && (
        <nav aria-label="Findings pages" className="flex flex-wrap items-center gap-2">
          {state.page > 1 && (
            <Button type="button" variant="secondary" onClick={() => navigate({ ...state, cursor: undefined, page: 1 })}>
              First page
            </Button>
          )}
          {prevCursorKnown && (
            <Button type="button" variant="secondary" onClick={() => navigate({ ...state, cursor: cursors.get(state.page - 1), page: state.page - 1 })}>
              Previous page
            </Button>
          )}
          {data.nextCursor && (
            <Button
              type="button"
              variant="secondary"
              onClick={() => {
                setCursors(new Map(cursors).set(state.page, state.cursor));
                navigate({ ...state, cursor: data.nextCursor!, page: state.page + 1 });
              }}
            >
              Next page
            </Button>
          )}
        </nav>
      )}
    </section>
  );
}
