/**
 * A domain check's results: the grade, then every group and check with its evidence, why it matters and
 * how to fix it. No hooks: the shared result page renders it on the server (it works without JavaScript,
 * <details> opens with the keyboard natively) and the landing page renders it as results stream in.
 * Every value may come from the scanned site: React escapes it, and nothing is rendered as HTML.
 */
import type { CheckResult, CheckStatus } from "@/lib/domain-check";
import type { PublicReport, ScanGroupView } from "@/lib/public-scans/scan-view";
import { StatusBadge } from "./status-badge";

const GRADE_TONE: Record<string, string> = {
  "A+": "bg-green-700 text-white",
  A: "bg-green-600 text-white",
  B: "bg-lime-600 text-white",
  C: "bg-amber-500 text-slate-950",
  D: "bg-orange-600 text-white",
  F: "bg-red-700 text-white",
};

const COUNT_ORDER: CheckStatus[] = ["pass", "warn", "fail", "info", "not-applicable", "not-tested"];
const COUNT_LABEL: Record<CheckStatus, string> = { pass: "passed", warn: "warnings", fail: "failed", info: "info", "not-applicable": "not applicable", "not-tested": "not tested" };

/** Text with `code` spans (the catalog writes records and header values between backticks). */
function WithCode({ text }: { text: string }) {
  const parts = text.split("`");
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <code key={i} className="rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.85em] text-slate-900 break-all">
            {part}
          </code>
        ) : (
          <span key={i}>{part}</span>
        ),
      )}
    </>
  );
}

const MAX_VALUE_CHARS = 4000;

function EvidenceValue({ value }: { value: unknown }) {
  if (value === null || value === undefined || value === "") return <span className="text-slate-500">none</span>;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    const text = String(value);
    return <code className="font-mono text-xs break-all text-slate-900">{text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text}</code>;
  }
  if (Array.isArray(value) && value.length === 0) return <span className="text-slate-500">none</span>;
  if (Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number")) {
    return (
      <ul className="space-y-0.5">
        {value.slice(0, 50).map((v, i) => (
          <li key={i}>
            <code className="font-mono text-xs break-all text-slate-900">{String(v)}</code>
          </li>
        ))}
        {value.length > 50 && <li className="text-xs text-slate-500">and {value.length - 50} more</li>}
      </ul>
    );
  }
  const json = JSON.stringify(value, null, 2);
  return <pre className="max-h-64 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs whitespace-pre-wrap break-all text-slate-900">{json.length > MAX_VALUE_CHARS ? `${json.slice(0, MAX_VALUE_CHARS)}…` : json}</pre>;
}

function humanize(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[-_]/g, " ").replace(/^./, (c) => c.toUpperCase());
}

export function CheckItem({ check }: { check: CheckResult }) {
  const evidence = Object.entries(check.evidence ?? {});
  return (
    <li>
      <details className="group rounded-md border border-slate-200 bg-white open:shadow-sm" data-check-id={check.id}>
        <summary className="flex cursor-pointer list-none items-start gap-3 rounded-md px-4 py-3 hover:bg-slate-50 [&::-webkit-details-marker]:hidden">
          <StatusBadge status={check.status} />
          <span className="min-w-0 flex-1">
            <span className="block font-medium text-slate-900">{check.title}</span>
            <span className="mt-0.5 block text-sm text-slate-700 break-words">{check.summary}</span>
          </span>
          <svg aria-hidden="true" viewBox="0 0 20 20" className="mt-1 h-4 w-4 shrink-0 text-slate-500 transition-transform group-open:rotate-180" fill="none" stroke="currentColor" strokeWidth="2">
            <path d="M5 8l5 5 5-5" />
          </svg>
        </summary>
        <div className="space-y-4 border-t border-slate-100 px-4 py-4 text-sm">
          <section>
            <h4 className="font-semibold text-slate-900">What we saw</h4>
            {evidence.length === 0 ? (
              <p className="mt-1 text-slate-600">Nothing to show for this check.</p>
            ) : (
              <dl className="mt-1 grid gap-x-4 gap-y-1 sm:grid-cols-[minmax(8rem,max-content)_1fr]">
                {evidence.map(([key, value]) => (
                  <div key={key} className="contents">
                    <dt className="text-slate-600">{humanize(key)}</dt>
                    <dd className="min-w-0">
                      <EvidenceValue value={value} />
                    </dd>
                  </div>
                ))}
              </dl>
            )}
          </section>
          <section>
            <h4 className="font-semibold text-slate-900">Why it matters</h4>
            <p className="mt-1 text-slate-700">
              <WithCode text={check.why} />
            </p>
          </section>
          <section>
            <h4 className="font-semibold text-slate-900">How to fix it</h4>
            <p className="mt-1 text-slate-700">
              <WithCode text={check.fix} />
            </p>
          </section>
          <p className="text-xs text-slate-600">
            {check.points > 0 ? `Weight: ${check.points} of 100 points.` : "Informational: not part of the score."}
            {check.references.length > 0 && ` References: ${check.references.join("; ")}.`}
          </p>
        </div>
      </details>
    </li>
  );
}

function groupCounts(checks: CheckResult[]): string {
  const counts = new Map<CheckStatus, number>();
  for (const c of checks) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  return COUNT_ORDER.filter((s) => counts.get(s))
    .map((s) => `${counts.get(s)} ${COUNT_LABEL[s]}`)
    .join(", ");
}

export function CheckGroupSection({ group, headingLevel = 3 }: { group: ScanGroupView; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <section aria-labelledby={`group-${group.group}`} className="mt-8">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <Heading id={`group-${group.group}`} className="text-lg font-semibold text-slate-900">
          {group.title}
        </Heading>
        <p className="text-sm text-slate-600">{group.finished ? groupCounts(group.checks) : `Checking ${group.checkCount} items…`}</p>
      </div>
      {group.finished ? (
        <ul className="mt-3 space-y-2">
          {group.checks.map((check) => (
            <CheckItem key={check.id} check={check} />
          ))}
        </ul>
      ) : (
        <ul className="mt-3 space-y-2" aria-hidden="true">
          {Array.from({ length: Math.min(group.checkCount, 3) }, (_, i) => (
            <li key={i} className="h-14 animate-pulse rounded-md border border-slate-200 bg-slate-100" />
          ))}
        </ul>
      )}
    </section>
  );
}

export function GradeSummary({ report }: { report: PublicReport }) {
  const s = report.score;
  const graded = s.kind === "graded" && s.grade;
  return (
    <section aria-labelledby="grade-heading" className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <div className="flex flex-wrap items-center gap-6">
        <div className={`flex h-24 w-24 shrink-0 items-center justify-center rounded-xl text-4xl font-bold ${graded ? (GRADE_TONE[s.grade!] ?? "bg-slate-700 text-white") : "bg-slate-200 text-slate-800"}`} aria-hidden="true">
          {graded ? s.grade : "?"}
        </div>
        <div className="min-w-0 flex-1">
          <h2 id="grade-heading" className="text-2xl font-bold text-slate-900" data-testid="grade">
            {graded ? `Grade ${s.grade}` : "Incomplete"}
          </h2>
          <p className="mt-1 text-slate-700" data-testid="grade-detail">
            {graded
              ? `${s.score} of 100${s.rawScore !== s.score ? ` (${s.rawScore} before caps)` : ""} for ${report.domain}.`
              : `Too much could not be tested (${s.untestedPoints} of ${s.possiblePoints + s.untestedPoints} weighted points), so ${report.domain} gets no grade rather than a flattering one.`}
          </p>
          <p className="mt-1 text-sm text-slate-600">
            {COUNT_ORDER.filter((k) => s.counts[k] > 0)
              .map((k) => `${s.counts[k]} ${COUNT_LABEL[k]}`)
              .join(" · ")}
            {report.observatory && ` · MDN HTTP Observatory equivalent: ${report.observatory.grade} (${report.observatory.score})`}
          </p>
          <p className="mt-1 text-xs text-slate-500">
            Checked <time dateTime={report.finishedAt}>{new Date(report.finishedAt).toUTCString()}</time> in {(report.durationMs / 1000).toFixed(1)} s · scoring v{s.algorithmVersion}
          </p>
        </div>
      </div>
      {s.caps.length > 0 && (
        <ul className="mt-4 space-y-1 rounded-md bg-red-50 px-4 py-3 text-sm text-red-900">
          {s.caps.map((cap) => (
            <li key={cap.id}>
              Capped at {cap.limit}: {cap.reason}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The whole report of a finished scan. */
export function ScanReport({ report, groups }: { report: PublicReport; groups: ScanGroupView[] }) {
  return (
    <div>
      <GradeSummary report={report} />
      {groups.map((group) => (
        <CheckGroupSection key={group.group} group={group} />
      ))}
    </div>
  );
}
