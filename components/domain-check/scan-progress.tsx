"use client";

import { useEffect, useState } from "react";
import type { ScanView } from "@/lib/public-scans/scan-view";

/** Visible progress of a running check: a progress bar over the four groups, each group's state, the time so far. */
export function ScanProgress({ scan }: { scan: ScanView }) {
  const done = scan.groups.filter((g) => g.finished).length;
  const total = scan.groups.length;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const elapsed = Math.max(0, Math.round((now - new Date(scan.startedAt).getTime()) / 1000));
  return (
    <section aria-labelledby="progress-heading" className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="progress-heading" className="text-lg font-semibold text-slate-900">
          Checking {scan.domain}
        </h2>
        <p className="text-sm text-slate-600" aria-hidden="true">
          {elapsed} s of at most 60 s
        </p>
      </div>
      <progress className="mt-3 h-2 w-full overflow-hidden rounded-full accent-blue-700" max={total} value={done} aria-label={`${done} of ${total} groups checked`} />
      <p className="mt-2 text-sm text-slate-700" data-testid="progress-text">
        {done} of {total} groups checked
      </p>
      <ul className="mt-3 grid gap-2 sm:grid-cols-2">
        {scan.groups.map((group) => (
          <li key={group.group} className="flex items-center gap-2 text-sm">
            {group.finished ? (
              <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4 text-green-700" fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" strokeLinejoin="round">
                <path d="M4 10.5l4 4 8-9" />
              </svg>
            ) : (
              <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4 animate-spin text-blue-700" fill="none" stroke="currentColor" strokeWidth="2.4">
                <path d="M10 3a7 7 0 1 1-7 7" />
              </svg>
            )}
            <span className={group.finished ? "text-slate-900" : "text-slate-600"}>
              {group.title}: {group.finished ? "done" : "checking…"}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
