/**
 * The points of a cluster's score chart: every snapshot still kept (so two pushes on one day are
 * two points), and, before the oldest of them, one point per day from the daily scores kept a year.
 */
import type { SeriesPoint } from "./chart-geometry";

export interface ScoreHistoryInput {
  /** Daily scores (YYYY-MM-DD), kept a year. */
  days: readonly { day: string; score: number; grade: string }[];
  /** Snapshots still kept (the retention period). */
  snapshots: readonly { collectedAt: Date | null; score: number; grade: string }[];
}

export function scoreSeries(history: ScoreHistoryInput): SeriesPoint[] {
  const snapshots = history.snapshots
    .filter((s): s is typeof s & { collectedAt: Date } => s.collectedAt !== null)
    .map((s) => ({ at: s.collectedAt.getTime(), score: s.score, label: `${s.collectedAt.toISOString().slice(0, 16).replace("T", " ")} UTC: ${s.score} (${s.grade})` }));
  const oldest = snapshots.length ? Math.min(...snapshots.map((s) => s.at)) : Number.POSITIVE_INFINITY;
  const oldestDay = Number.isFinite(oldest) ? new Date(oldest).toISOString().slice(0, 10) : null;
  const days = history.days
    .filter((d) => oldestDay === null || d.day < oldestDay)
    .map((d) => ({ at: Date.parse(`${d.day}T12:00:00Z`), score: d.score, label: `${d.day}: ${d.score} (${d.grade})` }));
  return [...days, ...snapshots].sort((a, b) => a.at - b.at);
}
