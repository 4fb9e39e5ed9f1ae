/** Small, deterministic formatting for the dashboard (server and client render the same text). */

export function relativeTime(date: Date | string | null | undefined, now: Date = new Date()): string {
  if (!date) return "never";
  const then = typeof date === "string" ? new Date(date) : date;
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  const say = (n: number, unit: string) => (future ? `in ${n} ${unit}${n === 1 ? "" : "s"}` : `${n} ${unit}${n === 1 ? "" : "s"} ago`);
  if (s < 45) return future ? "in a moment" : "just now";
  if (s < 3600) return say(Math.max(1, Math.round(s / 60)), "minute");
  if (s < 86_400) return say(Math.round(s / 3600), "hour");
  if (s < 86_400 * 60) return say(Math.round(s / 86_400), "day");
  return say(Math.round(s / (86_400 * 30)), "month");
}

export function utcTimestamp(date: Date | string | null | undefined): string {
  if (!date) return "";
  const d = typeof date === "string" ? new Date(date) : date;
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function percent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined) return "n/a";
  // Never round a partial coverage up to a clean 100 %.
  const p = ratio * 100;
  return `${p >= 99.5 && p < 100 ? 99 : Math.round(p)}%`;
}

export function scheduleLabel(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? "daily" : `every ${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? "hourly" : `every ${minutes / 60} hours`;
  return `every ${minutes} minutes`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** "Deployment shop/web", "ClusterRole admin". */
export function resourceLabel(r: { kind: string; namespace: string | null; name: string }): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ""}${r.name}`;
}

/** A date `days` after `from`, as an <input type="date"> value (YYYY-MM-DD, UTC). */
export function dateInputAfter(from: Date, days: number): string {
  return new Date(from.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}
