/** Letter grades for 0-100 scores. */
export type Grade = "A+" | "A" | "A-" | "B+" | "B" | "B-" | "C+" | "C" | "C-" | "D+" | "D" | "D-" | "F";

const THRESHOLDS: readonly [number, Grade][] = [
  [97, "A+"], [93, "A"], [90, "A-"],
  [87, "B+"], [83, "B"], [80, "B-"],
  [77, "C+"], [73, "C"], [70, "C-"],
  [67, "D+"], [63, "D"], [60, "D-"],
];

export function gradeOf(score: number): Grade {
  for (const [min, grade] of THRESHOLDS) if (score >= min) return grade;
  return "F";
}
