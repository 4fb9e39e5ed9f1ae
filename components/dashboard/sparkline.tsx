import { linePath, plot, trendDirection, type SeriesPoint } from "@/lib/dashboard/chart-geometry";

const BOX = { width: 100, height: 28, left: 2, right: 2, top: 3, bottom: 3 };

/** A small trend line of daily scores; its label says where it went. */
export function Sparkline({ points, className = "h-7 w-24" }: { points: readonly SeriesPoint[]; className?: string }) {
  if (points.length === 0) return <span className="text-xs text-slate-500">No history yet</span>;
  const plotted = plot(points, BOX);
  const direction = trendDirection(points);
  const first = points[0]!.score;
  const last = points.at(-1)!.score;
  const label = points.length === 1 ? `Score ${last}, one day of history` : `Score trend over ${points.length} days: ${first} to ${last} (${direction})`;
  const stroke = direction === "up" ? "stroke-green-700" : direction === "down" ? "stroke-red-700" : "stroke-slate-600";
  const end = plotted.at(-1)!;
  return (
    <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} className={className} role="img" aria-label={label}>
      <title>{label}</title>
      {plotted.length > 1 && <path d={linePath(plotted)} fill="none" strokeWidth="1.5" strokeLinejoin="round" strokeLinecap="round" className={stroke} vectorEffect="non-scaling-stroke" />}
      <circle cx={end.x} cy={end.y} r="2" className={direction === "down" ? "fill-red-700" : direction === "up" ? "fill-green-700" : "fill-slate-600"} />
    </svg>
  );
}
