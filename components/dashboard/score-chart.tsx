import { areaPath, linePath, plot, scoreY, trendDirection, type SeriesPoint } from "@/lib/dashboard/chart-geometry";
import { utcTimestamp } from "@/lib/dashboard/format";

const BOX = { width: 640, height: 200, left: 32, right: 12, top: 12, bottom: 28 };
const TICKS = [0, 25, 50, 75, 100];

/** The score over time: a line over a 0-100 axis, a dot per point with its value as a tooltip, and a text summary. */
export function ScoreChart({ points }: { points: readonly SeriesPoint[] }) {
  if (points.length === 0) return <p className="text-sm text-slate-600">The chart starts with the first snapshot.</p>;
  const plotted = plot(points, BOX);
  const floor = scoreY(0, BOX);
  const first = points[0]!;
  const last = points.at(-1)!;
  const direction = trendDirection(points);
  const summary =
    points.length === 1
      ? `One snapshot so far: ${last.score}.`
      : `Score went from ${first.score} to ${last.score} over ${points.length} snapshots (${direction === "up" ? "improving" : direction === "down" ? "worsening" : "unchanged"}).`;
  return (
    <figure>
      <svg viewBox={`0 0 ${BOX.width} ${BOX.height}`} className="h-auto w-full" role="img" aria-labelledby="score-chart-summary">
        {TICKS.map((t) => (
          <g key={t}>
            <line x1={BOX.left} x2={BOX.width - BOX.right} y1={scoreY(t, BOX)} y2={scoreY(t, BOX)} strokeWidth="1" className="stroke-slate-200" />
            <text x={BOX.left - 6} y={scoreY(t, BOX) + 4} textAnchor="end" fontSize="11" className="fill-slate-600">
              {t}
            </text>
          </g>
        ))}
        {plotted.length > 1 && <path d={areaPath(plotted, floor)} className="fill-blue-100" />}
        {plotted.length > 1 && <path d={linePath(plotted)} fill="none" strokeWidth="2.5" strokeLinejoin="round" className="stroke-blue-700" />}
        {plotted.map((p, i) => (
          <circle key={i} cx={p.x} cy={p.y} r="4" className="fill-white stroke-blue-700" strokeWidth="2">
            <title>{p.label}</title>
          </circle>
        ))}
        <text x={BOX.left} y={BOX.height - 8} fontSize="11" className="fill-slate-600">
          {utcTimestamp(new Date(first.at)).slice(0, 10)}
        </text>
        {points.length > 1 && (
          <text x={BOX.width - BOX.right} y={BOX.height - 8} textAnchor="end" fontSize="11" className="fill-slate-600">
            {utcTimestamp(new Date(last.at)).slice(0, 10)}
          </text>
        )}
      </svg>
      <figcaption id="score-chart-summary" className="mt-2 text-sm text-slate-700">
        {summary}
      </figcaption>
    </figure>
  );
}
