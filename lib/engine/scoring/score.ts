/**
 * Scoring: a pure function of per-check result counts. The rules, and why, are in
 * docs/scoring.md. Summary:
 * - a check's credit is 0.5 x (passes / (passes + fails)) + 0.5 if it has no failure;
 * - a layer's raw score is the severity-weighted mean credit of its checks that
 *   have passes or failures (excepted results leave the score);
 * - unknown results lower coverage (they never count as passes); a layer's and the
 *   cluster's score is capped at 100 x sqrt(coverage);
 * - a critical failure caps its layer and the cluster at 69 (D+);
 * - the cluster score is the mean of the layer scores, then capped the same way.
 */
import type { Severity } from "@/lib/engine/model/check";
import type { LayerId } from "@/lib/engine/model/layers";
import { gradeOf, type Grade } from "@/lib/engine/scoring/grades";

export const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = { critical: 10, high: 6, medium: 3, low: 1 };
export const CRITICAL_CAP = 69;

export function coverageCap(coverage: number): number {
  return 100 * Math.sqrt(Math.max(0, Math.min(1, coverage)));
}

export interface ScoringCheck {
  id: string;
  layer: LayerId;
  severity: Severity;
  pass: number;
  fail: number;
  excepted: number;
  unknown: number;
}

export type Cap = "critical" | "coverage";

export interface ScoredLayer {
  id: LayerId;
  score: number | null;
  grade: Grade | null;
  coverage: number | null;
  cappedBy: Cap[];
}

export interface ScoreResult {
  score: number;
  grade: Grade;
  coverage: number;
  /** Caps that held the cluster or one of its layers down. */
  cappedBy: Cap[];
  layers: ScoredLayer[];
}

interface Acc {
  scoredWeight: number;
  weightedCredit: number;
  known: number;
  unknown: number;
  critical: boolean;
}

/** Credit of one check in [0, 1], or undefined when it has neither passes nor failures. */
export function checkCredit(pass: number, fail: number): number | undefined {
  if (pass + fail === 0) return undefined;
  return 0.5 * (pass / (pass + fail)) + (fail === 0 ? 0.5 : 0);
}

export function scoreChecks(input: readonly ScoringCheck[]): ScoreResult {
  // Canonical order: identical sums (to the last bit) whatever order results arrive in.
  const checks = [...input].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const acc = new Map<LayerId, Acc>();
  for (const id of [1, 2, 3, 4, 5, 6] as LayerId[]) acc.set(id, { scoredWeight: 0, weightedCredit: 0, known: 0, unknown: 0, critical: false });
  for (const c of checks) {
    const total = c.pass + c.fail + c.excepted + c.unknown;
    if (total === 0) continue; // not applicable
    const a = acc.get(c.layer)!;
    const w = SEVERITY_WEIGHT[c.severity];
    a.known += (w * (c.pass + c.fail + c.excepted)) / total;
    a.unknown += (w * c.unknown) / total;
    const credit = checkCredit(c.pass, c.fail);
    if (credit !== undefined) {
      a.scoredWeight += w;
      a.weightedCredit += w * credit;
    }
    if (c.severity === "critical" && c.fail > 0) a.critical = true;
  }

  const layers: ScoredLayer[] = [];
  const layerScores: number[] = [];
  let known = 0;
  let unknown = 0;
  let anyCritical = false;
  for (const [id, a] of acc) {
    known += a.known;
    unknown += a.unknown;
    anyCritical ||= a.critical;
    if (a.known + a.unknown === 0) {
      layers.push({ id, score: null, grade: null, coverage: null, cappedBy: [] });
      continue;
    }
    const coverage = a.known / (a.known + a.unknown);
    if (a.known === 0) {
      layers.push({ id, score: null, grade: null, coverage: 0, cappedBy: ["coverage"] });
      continue;
    }
    // Only excepted results: nothing left to hold the layer down but coverage.
    const raw = a.scoredWeight > 0 ? (100 * a.weightedCredit) / a.scoredWeight : 100;
    const { value, cappedBy } = applyCaps(raw, coverage, a.critical);
    layerScores.push(value);
    const score = shownScore(value, coverage);
    layers.push({ id, score, grade: gradeOf(score), coverage, cappedBy });
  }

  const coverage = known + unknown === 0 ? 0 : known / (known + unknown);
  const raw = layerScores.length === 0 ? 0 : layerScores.reduce((s, v) => s + v, 0) / layerScores.length;
  const { value, cappedBy: own } = applyCaps(raw, coverage, anyCritical);
  const score = shownScore(value, coverage);
  // The cluster reports its own caps and those that held a scored layer down.
  const cappedBy = (["coverage", "critical"] as const).filter((cap) => own.includes(cap) || layers.some((l) => l.score !== null && l.cappedBy.includes(cap)));
  return { score, grade: gradeOf(score), coverage, cappedBy, layers };
}

/**
 * The score shown: rounded, but never above the coverage cap rounded down, so a partial view can
 * never round up to 100: 100 means everything was seen and nothing failed.
 */
function shownScore(value: number, coverage: number): number {
  const rounded = Math.round(value);
  return coverage < 1 ? Math.min(rounded, Math.floor(coverageCap(coverage))) : rounded;
}

function applyCaps(raw: number, coverage: number, critical: boolean): { value: number; cappedBy: Cap[] } {
  let value = raw;
  const cappedBy: Cap[] = [];
  const covCap = coverageCap(coverage);
  if (coverage < 1 && covCap <= value) {
    value = covCap;
    cappedBy.push("coverage");
  }
  if (critical && CRITICAL_CAP <= value) {
    value = CRITICAL_CAP;
    cappedBy.push("critical");
  }
  return { value, cappedBy };
}
