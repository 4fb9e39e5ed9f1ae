import type { CheckStatus } from "@/lib/domain-check";

const STATUS: Record<CheckStatus, { label: string; className: string; icon: string }> = {
  pass: { label: "Pass", className: "bg-green-100 text-green-900 ring-green-300", icon: "M4 10.5l4 4 8-9" },
  warn: { label: "Warning", className: "bg-amber-100 text-amber-900 ring-amber-300", icon: "M10 4v7M10 14.5v.5" },
  fail: { label: "Fail", className: "bg-red-100 text-red-900 ring-red-300", icon: "M5 5l10 10M15 5L5 15" },
  info: { label: "Info", className: "bg-blue-100 text-blue-900 ring-blue-300", icon: "M10 9v6M10 5.5v.5" },
  "not-applicable": { label: "Not applicable", className: "bg-slate-100 text-slate-700 ring-slate-300", icon: "M5 10h10" },
  "not-tested": { label: "Not tested", className: "bg-slate-100 text-slate-700 ring-slate-300", icon: "M7 7a3 3 0 1 1 4 2.8c-.7.3-1 .8-1 1.5v.7M10 14.5v.5" },
};

export function statusLabel(status: CheckStatus): string {
  return STATUS[status].label;
}

/** A check's status as text with an icon (colour is never the only signal). */
export function StatusBadge({ status }: { status: CheckStatus }) {
  const s = STATUS[status];
  return (
    <span className={`inline-flex shrink-0 items-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${s.className}`}>
      <svg aria-hidden="true" viewBox="0 0 20 20" className="h-3.5 w-3.5" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round">
        <path d={s.icon} />
      </svg>
      {s.label}
    </span>
  );
}
