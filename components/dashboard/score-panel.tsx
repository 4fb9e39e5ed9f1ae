import type { ClusterDetail } from "@/lib/clusters/get-cluster";
import { percent, plural, relativeTime, utcTimestamp } from "@/lib/dashboard/format";
import { Alert } from "@/components/ui/alert";
import { GradeBadge } from "./grade";
import { ScoreBar } from "./layer-bars";

type Latest = NonNullable<ClusterDetail["latest"]>;

function coverageText(entry: { group: string; resource: string; namespace?: string; name?: string; status: string; message?: string }): string {
  const what = `${entry.group ? `${entry.resource}.${entry.group}` : entry.resource}${entry.name ? ` ${entry.namespace ? `${entry.namespace}/` : ""}${entry.name}` : ""}`;
  return `${what} (${entry.status}${entry.message ? `: ${entry.message}` : ""})`;
}

/** Score, grade and coverage side by side: a partial snapshot says so as loudly as its score. */
export function ScorePanel({ latest, coverage, counts, now }: { latest: Latest; coverage: ClusterDetail["coverage"]; counts: ClusterDetail["counts"]; now: Date }) {
  const ratio = coverage?.ratio ?? latest.coverage;
  const partial = ratio < 1;
  const delta = latest.diff?.scoreDelta ?? null;
  const unavailable = coverage?.unavailable ?? [];
  const unknownChecks = coverage?.unknownChecks ?? [];
  return (
    <section aria-labelledby="score-heading" className="space-y-4">
      <h2 id="score-heading" className="sr-only">
        Score
      </h2>
      <div className="grid gap-4 sm:grid-cols-3">
        <div className="flex items-center gap-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <GradeBadge grade={latest.grade} size="lg" />
          <div>
            <p className="text-sm text-slate-600">Score</p>
            <p className="text-4xl font-bold tabular-nums" data-testid="cluster-score">
              {latest.score}
              <span className="text-base font-normal text-slate-600">/100</span>
            </p>
            {delta !== null && (
              <p className={`text-sm font-medium ${delta > 0 ? "text-green-800" : delta < 0 ? "text-red-700" : "text-slate-600"}`}>
                {delta > 0 ? `▲ +${delta}` : delta < 0 ? `▼ ${delta}` : "No change"} since the previous snapshot
              </p>
            )}
          </div>
        </div>
        <div className={`rounded-lg border p-5 shadow-sm ${partial ? "border-amber-300 bg-amber-50" : "border-slate-200 bg-white"}`}>
          <p className="text-sm text-slate-600">Coverage</p>
          <p className={`text-4xl font-bold tabular-nums ${partial ? "text-amber-900" : ""}`} data-testid="cluster-coverage">
            {percent(ratio)}
          </p>
          <ScoreBar score={Math.floor(ratio * 100)} label={`Coverage ${percent(ratio)}`} className="mt-2 h-2 w-full" fill={partial ? "fill-amber-500" : "fill-green-600"} />
          <p className="mt-1 text-xs text-slate-700">{partial ? "Part of the cluster could not be evaluated" : "Everything the checks need was read"}</p>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-5 text-sm shadow-sm">
          <p className="text-slate-600">Latest snapshot</p>
          <p className="mt-1 font-medium">
            <time dateTime={latest.collectedAt?.toISOString()} title={utcTimestamp(latest.collectedAt)}>
              {relativeTime(latest.collectedAt, now)}
            </time>
          </p>
          {counts && (
            <dl className="mt-2 grid grid-cols-2 gap-x-3 gap-y-0.5 text-slate-700">
              <dt>Passed</dt>
              <dd className="text-right tabular-nums">{counts.pass.toLocaleString("en-US")}</dd>
              <dt>Failed</dt>
              <dd className="text-right tabular-nums">{counts.fail.toLocaleString("en-US")}</dd>
              <dt>Unknown</dt>
              <dd className="text-right tabular-nums">{counts.unknown.toLocaleString("en-US")}</dd>
              <dt>Excepted</dt>
              <dd className="text-right tabular-nums">{counts.excepted.toLocaleString("en-US")}</dd>
            </dl>
          )}
        </div>
      </div>
      {latest.cappedBy.includes("critical") && (
        <Alert tone="error" title="Capped by critical findings">
          A failing critical check holds the score down whatever else passes: fix those first.
        </Alert>
      )}
      {partial && (
        <Alert tone="warning" title={`Partial snapshot: ${percent(ratio)} coverage${latest.cappedBy.includes("coverage") ? ", score capped" : ""}`}>
          <p>The score covers only what could be evaluated; what could not be read is not assumed to be clean.</p>
          {unavailable.length > 0 && (
            <div className="mt-2">
              <p className="font-medium">The agent could not read {plural(unavailable.length, "list")}:</p>
              <ul className="ml-5 list-disc">
                {unavailable.slice(0, 8).map((u, i) => (
                  <li key={i} className="break-words">
                    {coverageText(u)}
                  </li>
                ))}
                {unavailable.length > 8 && <li>and {unavailable.length - 8} more</li>}
              </ul>
            </div>
          )}
          {unknownChecks.length > 0 && (
            <p className="mt-2">
              <span className="font-medium">{plural(unknownChecks.length, "check")} could not decide:</span> {unknownChecks.slice(0, 12).join(", ")}
              {unknownChecks.length > 12 ? ` and ${unknownChecks.length - 12} more` : ""}.
            </p>
          )}
        </Alert>
      )}
    </section>
  );
}
