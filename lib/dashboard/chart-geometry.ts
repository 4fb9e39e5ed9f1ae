/**
 * Geometry for the score charts, drawn as SVG attributes (the CSP forbids inline styles): scores
 * live on a fixed 0-100 axis, time runs left to right. Pure, so the numbers are tested.
 */
export interface SeriesPoint {
  /** Milliseconds since the epoch. */
  at: number;
  score: number;
  label: string;
}

export interface PlottedPoint extends SeriesPoint {
  x: number;
  y: number;
}

export interface ChartBox {
  width: number;
  height: number;
  /** Room for the axis labels. */
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const round = (n: number) => Math.round(n * 10) / 10;
const clamp = (score: number) => Math.max(0, Math.min(100, score));

export function plot(points: readonly SeriesPoint[], box: ChartBox): PlottedPoint[] {
  if (points.length === 0) return [];
  const sorted = [...points].sort((a, b) => a.at - b.at);
  const first = sorted[0]!.at;
  const span = sorted.at(-1)!.at - first;
  const innerW = box.width - box.left - box.right;
  const innerH = box.height - box.top - box.bottom;
  return sorted.map((p, i) => {
    // Points at one instant (or a single point) spread evenly rather than stacking.
    const share = span > 0 ? (p.at - first) / span : sorted.length === 1 ? 0.5 : i / (sorted.length - 1);
    return { ...p, x: round(box.left + share * innerW), y: round(box.top + (1 - clamp(p.score) / 100) * innerH) };
  });
}

/** An SVG path through the points ("M x y L x y ..."); empty for no points. */
export function linePath(points: readonly { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x} ${p.y}`).join(" ");
}

/** The area under the line, closed on the chart's floor. */
export function areaPath(points: readonly { x: number; y: number }[], floorY: number): string {
  if (points.length < 2) return "";
  return `${linePath(points)} L${points.at(-1)!.x} ${floorY} L${points[0]!.x} ${floorY} Z`;
}

/** The y position of a score on the chart's axis. */
export function scoreY(score: number, box: ChartBox): number {
  return round(box.top + (1 - clamp(score) / 100) * (box.height - box.top - box.bottom));
}

/** "up", "down" or "flat" between the first and the last point. */
export function trendDirection(points: readonly { score: number }[]): "up" | "down" | "flat" {
  if (points.length < 2) return "flat";
  const delta = points.at(-1)!.score - points[0]!.score;
  return delta > 0 ? "up" : delta < 0 ? "down" : "flat";
}
