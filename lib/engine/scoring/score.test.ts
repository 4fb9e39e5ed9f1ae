import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { checkCredit, coverageCap, CRITICAL_CAP, scoreChecks, type ScoreResult, type ScoringCheck } from "@/lib/engine/scoring/score";
import { gradeOf } from "@/lib/engine/scoring/grades";
import type { LayerId } from "@/lib/engine/model/layers";

const checkArb = fc.record({
  layer: fc.constantFrom<LayerId>(1, 2, 3, 4, 5, 6),
  severity: fc.constantFrom("critical", "high", "medium", "low") as fc.Arbitrary<ScoringCheck["severity"]>,
  pass: fc.nat(30),
  fail: fc.nat(30),
  excepted: fc.nat(5),
  unknown: fc.oneof(fc.constant(0), fc.nat(10)),
});
const checksArb = fc.array(checkArb, { minLength: 1, maxLength: 40 }).map((list) => list.map((c, i) => ({ ...c, id: `check-${String(i).padStart(3, "0")}` })));

/** Every score in `after` is at least the one in `before` (a layer that had no score may gain one). */
function notLower(before: ScoreResult, after: ScoreResult): void {
  expect(after.score).toBeGreaterThanOrEqual(before.score);
  before.layers.forEach((l, i) => {
    if (l.score !== null) expect(after.layers[i]!.score ?? -1).toBeGreaterThanOrEqual(l.score);
  });
}

describe("scoring properties", () => {
  it("fixing any single failure never lowers the cluster or a layer score", () => {
    fc.assert(
      fc.property(checksArb, fc.nat(), (checks, pick) => {
        const failing = checks.filter((c) => c.fail > 0);
        fc.pre(failing.length > 0);
        const target = failing[pick % failing.length]!;
        const fixed = checks.map((c) => (c === target ? { ...c, fail: c.fail - 1, pass: c.pass + 1 } : c));
        notLower(scoreChecks(checks), scoreChecks(fixed));
      }),
      { numRuns: 500 },
    );
  });

  it("adding an exception never lowers the score", () => {
    fc.assert(
      fc.property(checksArb, fc.nat(), (checks, pick) => {
        const failing = checks.filter((c) => c.fail > 0);
        fc.pre(failing.length > 0);
        const target = failing[pick % failing.length]!;
        const excepted = checks.map((c) => (c === target ? { ...c, fail: c.fail - 1, excepted: c.excepted + 1 } : c));
        notLower(scoreChecks(checks), scoreChecks(excepted));
      }),
      { numRuns: 500 },
    );
  });

  it("input order changes nothing", () => {
    fc.assert(
      fc.property(checksArb.chain((checks) => fc.tuple(fc.constant(checks), fc.shuffledSubarray(checks, { minLength: checks.length, maxLength: checks.length }))), ([checks, shuffled]) => {
        expect(scoreChecks(shuffled)).toEqual(scoreChecks(checks));
      }),
      { numRuns: 300 },
    );
  });

  it("an unknown never counts as a pass: turning a pass into an unknown never raises the score", () => {
    fc.assert(
      fc.property(checksArb, fc.nat(), (checks, pick) => {
        const passing = checks.filter((c) => c.pass > 0);
        fc.pre(passing.length > 0);
        const target = passing[pick % passing.length]!;
        const blinded = checks.map((c) => (c === target ? { ...c, pass: c.pass - 1, unknown: c.unknown + 1 } : c));
        notLower(scoreChecks(blinded), scoreChecks(checks));
      }),
      { numRuns: 500 },
    );
  });

  it("a critical failure caps its layer and the cluster", () => {
    fc.assert(
      fc.property(checksArb, (checks) => {
        const result = scoreChecks(checks);
        for (const c of checks) {
          if (c.severity !== "critical" || c.fail === 0) continue;
          expect(result.score).toBeLessThanOrEqual(CRITICAL_CAP);
          const layer = result.layers[c.layer - 1]!;
          if (layer.score !== null) expect(layer.score).toBeLessThanOrEqual(CRITICAL_CAP);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("never scores above what coverage allows", () => {
    fc.assert(
      fc.property(checksArb, (checks) => {
        const result = scoreChecks(checks);
        // Strictly: rounding never lifts a partial view above its cap (100 only with full coverage).
        expect(result.score).toBeLessThanOrEqual(coverageCap(result.coverage));
        for (const layer of result.layers) if (layer.score !== null) expect(layer.score).toBeLessThanOrEqual(coverageCap(layer.coverage!));
        expect(result.score).toBeGreaterThanOrEqual(0);
        expect(result.score).toBeLessThanOrEqual(100);
      }),
      { numRuns: 300 },
    );
  });
});

describe("scoring rules", () => {
  const c = (over: Partial<ScoringCheck> & { id: string }): ScoringCheck => ({ layer: 1, severity: "high", pass: 0, fail: 0, excepted: 0, unknown: 0, ...over });

  it("gives 100 and A+ when everything passes and everything was seen", () => {
    const r = scoreChecks([c({ id: "a", pass: 10 }), c({ id: "b", layer: 2, severity: "low", pass: 1 })]);
    expect(r).toMatchObject({ score: 100, grade: "A+", coverage: 1, cappedBy: [] });
    expect(r.layers[2]).toEqual({ id: 3, score: null, grade: null, coverage: null, cappedBy: [] });
  });

  it("credits half a check for its pass ratio and half for having no failure", () => {
    expect(checkCredit(9, 1)).toBeCloseTo(0.45);
    expect(checkCredit(10, 0)).toBe(1);
    expect(checkCredit(0, 0)).toBeUndefined();
    // One high check fully passing, one high check at 50%: layer = (1 + 0.25) / 2.
    const r = scoreChecks([c({ id: "a", pass: 4 }), c({ id: "b", pass: 1, fail: 1 })]);
    expect(r.layers[0]!.score).toBe(63);
  });

  it("weights checks by severity", () => {
    const critFails = scoreChecks([c({ id: "a", severity: "low", pass: 1 }), c({ id: "b", severity: "medium", fail: 1 })]);
    // (1*1 + 3*0) / 4 = 25
    expect(critFails.score).toBe(25);
  });

  it("caps a layer and the cluster at 69 on a critical failure, even when it is one in a thousand", () => {
    const r = scoreChecks([
      c({ id: "a", severity: "critical", pass: 999, fail: 1 }),
      c({ id: "a2", pass: 5 }),
      c({ id: "a3", severity: "medium", pass: 5 }),
      c({ id: "b", layer: 2, pass: 10 }),
    ]);
    // Uncapped, layer 1 would be (10 * 0.4995 + 6 + 3) / 19 = 73.7.
    expect(r.layers[0]).toMatchObject({ score: 69, grade: "D+", cappedBy: ["critical"] });
    expect(r.layers[1]!.score).toBe(100);
    expect(r).toMatchObject({ score: 69, cappedBy: ["critical"] });
  });

  it("caps by coverage: a snapshot that saw a quarter of what matters scores at most 50", () => {
    const r = scoreChecks([c({ id: "a", pass: 5 }), c({ id: "b", unknown: 1 }), c({ id: "c", unknown: 1 }), c({ id: "d", unknown: 1 })]);
    expect(r.coverage).toBeCloseTo(0.25);
    expect(r).toMatchObject({ score: 50, grade: "F", cappedBy: ["coverage"] });
    expect(r.layers[0]).toMatchObject({ score: 50, cappedBy: ["coverage"] });
  });

  it("never rounds a partial view up to 100: two unknowns among hundreds of passes score 99", () => {
    const r = scoreChecks([c({ id: "a", pass: 300 }), c({ id: "b", severity: "low", pass: 200, unknown: 2 })]);
    expect(r.coverage).toBeGreaterThan(0.99);
    expect(r).toMatchObject({ score: 99, grade: "A+", cappedBy: ["coverage"] });
    expect(r.layers[0]).toMatchObject({ score: 99, cappedBy: ["coverage"] });
  });

  it("scores 0 and reports no layer score when nothing could be seen", () => {
    const r = scoreChecks([c({ id: "a", unknown: 1 }), c({ id: "b", layer: 4, unknown: 3 })]);
    expect(r).toMatchObject({ score: 0, grade: "F", coverage: 0 });
    expect(r.layers[0]).toMatchObject({ score: null, coverage: 0, cappedBy: ["coverage"] });
  });

  it("leaves excepted results out of the score but not out of coverage", () => {
    const r = scoreChecks([c({ id: "a", excepted: 3 }), c({ id: "b", pass: 1 })]);
    expect(r).toMatchObject({ score: 100, coverage: 1 });
  });

  it("matches the worked example in docs/scoring.md", () => {
    const layer2 = [
      c({ id: "privileged-container", layer: 2, severity: "critical", pass: 99, fail: 1 }),
      c({ id: "host-namespaces", layer: 2, severity: "high", pass: 100 }),
      c({ id: "cluster-admin-binding", layer: 2, severity: "critical", pass: 3 }),
    ];
    expect(scoreChecks(layer2).layers[1]).toMatchObject({ score: 69, grade: "D+", cappedBy: ["critical"] });
    const excepted = layer2.map((x) => (x.id === "privileged-container" ? { ...x, fail: 0, excepted: 1 } : x));
    expect(scoreChecks(excepted).layers[1]).toMatchObject({ score: 100, cappedBy: [] });
  });

  it("maps scores to grades at the documented thresholds", () => {
    expect([100, 97, 96, 93, 90, 89, 87, 83, 80, 77, 73, 70, 69, 67, 63, 60, 59, 0].map(gradeOf)).toEqual(["A+", "A+", "A", "A", "A-", "B+", "B+", "B", "B-", "C+", "C", "C-", "D+", "D+", "D", "D-", "F", "F"]);
  });
});
