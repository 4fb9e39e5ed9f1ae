import { describe, expect, it } from "vitest";
import { areaPath, linePath, plot, scoreY, trendDirection } from "./chart-geometry";
import { scoreSeries } from "./score-series";

const box = { width: 220, height: 120, left: 20, right: 0, top: 10, bottom: 10 };

describe("chart geometry", () => {
  it("puts time on x and the score on a fixed 0-100 y axis", () => {
    const points = plot(
      [
        { at: 2000, score: 100, label: "b" },
        { at: 1000, score: 0, label: "a" },
        { at: 1500, score: 50, label: "m" },
      ],
      box,
    );
    expect(points.map((p) => [p.label, p.x, p.y])).toEqual([
      ["a", 20, 110],
      ["m", 120, 60],
      ["b", 220, 10],
    ]);
    expect(linePath(points)).toBe("M20 110 L120 60 L220 10");
    expect(areaPath(points, 110)).toBe("M20 110 L120 60 L220 10 L220 110 L20 110 Z");
    expect(scoreY(150, box)).toBe(10);
  });

  it("centres a single point and spreads points of one instant", () => {
    expect(plot([{ at: 5, score: 40, label: "x" }], box).map((p) => p.x)).toEqual([120]);
    expect(plot([{ at: 5, score: 40, label: "x" }, { at: 5, score: 60, label: "y" }], box).map((p) => p.x)).toEqual([20, 220]);
    expect(areaPath(plot([{ at: 5, score: 40, label: "x" }], box), 110)).toBe("");
  });

  it("tells the trend between the first and last point", () => {
    expect(trendDirection([{ score: 20 }, { score: 90 }])).toBe("up");
    expect(trendDirection([{ score: 90 }, { score: 20 }])).toBe("down");
    expect(trendDirection([{ score: 20 }])).toBe("flat");
  });
});

describe("score series", () => {
  it("uses each kept snapshot, and daily scores only before the oldest snapshot", () => {
    const series = scoreSeries({
      days: [
        { day: "2026-10-01", score: 40, grade: "F" },
        { day: "2026-10-02", score: 50, grade: "F" },
      ],
      snapshots: [
        { collectedAt: new Date("2026-10-02T08:00:00Z"), score: 45, grade: "F" },
        { collectedAt: new Date("2026-10-02T09:00:00Z"), score: 50, grade: "F" },
        { collectedAt: null, score: 0, grade: "F" },
      ],
    });
    expect(series.map((p) => p.score)).toEqual([40, 45, 50]);
    expect(series[1]!.label).toBe("2026-10-02 08:00 UTC: 45 (F)");
  });
});
