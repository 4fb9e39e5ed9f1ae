"use client";

/**
 * The interactive domain check: the domain box, then the results streaming in group by group (Server-Sent
 * Events, with polling as the fallback), then the report. React Query holds the scan; the stream writes into
 * its cache. Without JavaScript the form still works: it submits to /check, which renders on the server.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { CheckResult } from "@/lib/domain-check";
import type { GroupProgress, ScanView } from "@/lib/public-scans/scan-view";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DomainCheckApiError, fetchDomainCheck, formatWait, startDomainCheck } from "./api-client";
import { ScanProgress } from "./scan-progress";
import { CheckGroupSection, GradeSummary } from "./scan-report";
import { SignUpCallToAction } from "./sign-up-call-to-action";

const scanKey = (id: string) => ["domain-check", id] as const;

function withGroup(view: ScanView, progress: GroupProgress): ScanView {
  return {
    ...view,
    groups: view.groups.map((g) => (g.group === progress.group ? { ...g, finished: true, checks: progress.checks, elapsedMs: progress.elapsedMs } : g)),
  };
}

function summarize(checks: CheckResult[]): string {
  const n = (status: CheckResult["status"]) => checks.filter((c) => c.status === status).length;
  return [`${n("pass")} passed`, n("warn") ? `${n("warn")} warnings` : null, n("fail") ? `${n("fail")} failed` : null].filter(Boolean).join(", ");
}

/** Follows a running scan over SSE; calls onFallback if the stream breaks before the end. */
function useScanStream(scan: ScanView | undefined, onFallback: () => void) {
  const queryClient = useQueryClient();
  const id = scan?.id;
  const running = scan?.status === "running";
  const fallback = useRef(onFallback);
  useEffect(() => {
    fallback.current = onFallback;
  });
  useEffect(() => {
    if (!id || !running) return;
    if (typeof EventSource === "undefined") {
      fallback.current();
      return;
    }
    const source = new EventSource(`/api/public/domain-checks/${encodeURIComponent(id)}/events`);
    let ended = false;
    const setView = (view: ScanView) => queryClient.setQueryData(scanKey(id), view);
    source.addEventListener("scan", (e) => setView(JSON.parse((e as MessageEvent<string>).data) as ScanView));
    source.addEventListener("group-finished", (e) => {
      const progress = JSON.parse((e as MessageEvent<string>).data) as GroupProgress;
      queryClient.setQueryData<ScanView>(scanKey(id), (view) => (view ? withGroup(view, progress) : view));
    });
    const finish = (e: Event) => {
      ended = true;
      source.close();
      setView(JSON.parse((e as MessageEvent<string>).data) as ScanView);
    };
    source.addEventListener("scan-finished", finish);
    source.addEventListener("scan-failed", finish);
    source.onerror = () => {
      if (ended) return;
      // The stream broke (proxy, limit, network): poll instead of reconnecting forever.
      source.close();
      fallback.current();
    };
    return () => {
      ended = true;
      source.close();
    };
  }, [id, running, queryClient]);
}

function ApiErrorAlert({ error }: { error: Error }) {
  if (error instanceof DomainCheckApiError && error.status === 429) {
    return (
      <Alert tone="warning" title="Please wait a moment">
        {error.message}
        {error.retryAfterSeconds ? ` You can check again in ${formatWait(error.retryAfterSeconds)}.` : ""}
      </Alert>
    );
  }
  if (error instanceof DomainCheckApiError && error.status === 400) return null; // shown on the field
  return (
    <Alert tone="error" title="The check could not start">
      {error instanceof DomainCheckApiError ? error.message : "We could not reach the server. Check your connection and try again."}
    </Alert>
  );
}

export function DomainCheck({ initialDomain = "", initialScan, autoFocus = false }: { initialDomain?: string; initialScan?: ScanView; autoFocus?: boolean }) {
  const queryClient = useQueryClient();
  const [domain, setDomain] = useState(initialDomain);
  const [scanId, setScanId] = useState<string | null>(initialScan?.id ?? null);
  const [polling, setPolling] = useState(false);

  const start = useMutation({
    mutationFn: (value: string) => startDomainCheck(value),
    onSuccess: ({ scan }) => {
      queryClient.setQueryData(scanKey(scan.id), scan);
      setPolling(false);
      setScanId(scan.id);
      setDomain(scan.domain);
    },
  });

  const query = useQuery({
    queryKey: scanKey(scanId ?? "none"),
    queryFn: () => fetchDomainCheck(scanId!),
    enabled: scanId !== null,
    initialData: initialScan && scanId === initialScan.id ? initialScan : undefined,
    staleTime: Infinity,
    refetchInterval: (q) => (polling && q.state.data?.status === "running" ? 1500 : false),
  });
  const scan = scanId ? query.data : undefined;

  useScanStream(scan, () => {
    setPolling(true);
    void query.refetch();
  });

  // The live region says what changed last: the latest finished group while running, then how it ended.
  const latest = scan?.groups.filter((g) => g.finished).sort((a, b) => (b.elapsedMs ?? 0) - (a.elapsedMs ?? 0))[0];
  const announcement = !scan
    ? ""
    : scan.status === "running"
      ? latest
        ? `${latest.title} finished: ${summarize(latest.checks)}.`
        : `Checking ${scan.domain}. Results appear group by group.`
      : scan.status === "failed"
        ? `The check of ${scan.domain} failed.`
        : scan.report?.score.kind === "graded"
          ? `Check of ${scan.domain} finished: grade ${scan.report.score.grade}, ${scan.report.score.score} of 100.`
          : `Check of ${scan.domain} finished, but too much could not be tested for a grade.`;

  const fieldError = start.error instanceof DomainCheckApiError && start.error.status === 400 ? start.error.message : undefined;
  const submit = (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = domain.trim();
    if (!value) return;
    // Focus stays in the box: progress and the outcome are announced by the live region.
    start.mutate(value);
  };

  return (
    <div>
      <form action="/check" method="get" onSubmit={submit} noValidate className="flex flex-col gap-3 sm:flex-row sm:items-start" aria-label="Check a domain">
        <div className="flex-1">
          <label htmlFor="domain-check-input" className="sr-only">
            Domain to check
          </label>
          <input
            id="domain-check-input"
            name="domain"
            type="text"
            inputMode="url"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            placeholder="example.com"
            autoFocus={autoFocus}
            value={domain}
            onChange={(e) => setDomain(e.target.value)}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={fieldError ? "domain-check-error" : "domain-check-hint"}
            className={`block w-full rounded-md border bg-white px-4 py-3 text-base shadow-sm ${fieldError ? "border-red-600" : "border-slate-300"}`}
          />
          {fieldError ? (
            <p id="domain-check-error" role="alert" className="mt-1 text-sm text-red-700">
              {fieldError}
            </p>
          ) : (
            <p id="domain-check-hint" className="mt-1 text-sm text-slate-600">
              A bare domain name, like example.com. Free, no account needed.
            </p>
          )}
        </div>
        <Button type="submit" className="px-6 py-3 text-base" disabled={start.isPending || scan?.status === "running"}>
          {start.isPending ? "Starting…" : scan?.status === "running" ? "Checking…" : "Check my domain"}
        </Button>
      </form>

      <p role="status" aria-live="polite" className="sr-only">
        {announcement}
      </p>

      <div className="mt-8">
        {start.error && <ApiErrorAlert error={start.error} />}
        {scanId && query.isError && !scan && <Alert tone="error" title="The check could not be loaded">Try again in a moment.</Alert>}
        {scan && <ScanResults scan={scan} onRetry={() => start.mutate(scan.domain)} retrying={start.isPending} />}
      </div>
    </div>
  );
}

function ScanResults({ scan, onRetry, retrying }: { scan: ScanView; onRetry: () => void; retrying: boolean }) {
  if (scan.status === "failed") {
    return (
      <Alert tone="error" title={`The check of ${scan.domain} failed`}>
        <p>{scan.failure?.message}</p>
        <Button variant="secondary" className="mt-3" onClick={onRetry} disabled={retrying}>
          Check again
        </Button>
      </Alert>
    );
  }
  return (
    <div>
      {scan.status === "running" ? <ScanProgress scan={scan} /> : scan.report && <GradeSummary report={scan.report} />}
      {scan.groups.map((group) => (
        <CheckGroupSection key={group.group} group={group} />
      ))}
      {scan.status === "finished" && (
        <>
          <p className="mt-6 text-sm text-slate-700">
            Share this result:{" "}
            <a className="font-medium text-blue-700 underline" href={scan.links.page}>
              {scan.links.page}
            </a>
          </p>
          <SignUpCallToAction domain={scan.domain} />
        </>
      )}
    </div>
  );
}
