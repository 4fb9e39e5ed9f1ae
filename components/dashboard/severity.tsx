import { Badge, type BadgeTone } from "@/components/ui/badge";

export type SeverityName = "CRITICAL" | "HIGH" | "MEDIUM" | "LOW";
export type StatusName = "FAIL" | "UNKNOWN" | "EXCEPTED";

const SEVERITY_TONE: Record<SeverityName, BadgeTone> = { CRITICAL: "critical", HIGH: "danger", MEDIUM: "warning", LOW: "info" };
const STATUS_TONE: Record<StatusName, BadgeTone> = { FAIL: "danger", UNKNOWN: "neutral", EXCEPTED: "success" };
export const SEVERITY_LABEL: Record<SeverityName, string> = { CRITICAL: "Critical", HIGH: "High", MEDIUM: "Medium", LOW: "Low" };
export const STATUS_LABEL: Record<StatusName, string> = { FAIL: "Failing", UNKNOWN: "Unknown", EXCEPTED: "Excepted" };

export function SeverityBadge({ severity }: { severity: string }) {
  const key = severity.toUpperCase() as SeverityName;
  return <Badge tone={SEVERITY_TONE[key] ?? "neutral"}>{SEVERITY_LABEL[key] ?? severity}</Badge>;
}

export function StatusBadge({ status }: { status: string }) {
  const key = status.toUpperCase() as StatusName;
  return <Badge tone={STATUS_TONE[key] ?? "neutral"}>{STATUS_LABEL[key] ?? status}</Badge>;
}

/** Failing findings by severity, as compact chips; zeros are muted, not hidden (a zero is news too). */
export function SeverityCounts({ counts, label = "Failing findings by severity" }: { counts: Record<SeverityName, { fail: number }>; label?: string }) {
  const order: SeverityName[] = ["CRITICAL", "HIGH", "MEDIUM", "LOW"];
  return (
    <ul aria-label={label} className="flex flex-wrap gap-1">
      {order.map((s) => {
        const n = counts[s]?.fail ?? 0;
        return (
          <li key={s}>
            <Badge tone={n > 0 ? SEVERITY_TONE[s] : "neutral"} className={n > 0 ? "" : "opacity-70"}>
              <span className="tabular-nums">{n.toLocaleString("en-US")}</span> {SEVERITY_LABEL[s].toLowerCase()}
            </Badge>
          </li>
        );
      })}
    </ul>
  );
}
