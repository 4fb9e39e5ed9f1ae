/** Grade colours: dark text on light fills (readable contrast), the same scale everywhere. */
const GRADE_TONES = {
  A: { badge: "border-green-300 bg-green-100 text-green-900", fill: "fill-green-600" },
  B: { badge: "border-lime-300 bg-lime-100 text-lime-900", fill: "fill-lime-600" },
  C: { badge: "border-amber-300 bg-amber-100 text-amber-900", fill: "fill-amber-500" },
  D: { badge: "border-orange-300 bg-orange-100 text-orange-900", fill: "fill-orange-600" },
  F: { badge: "border-red-300 bg-red-100 text-red-900", fill: "fill-red-600" },
} as const;

const NONE = { badge: "border-slate-300 bg-slate-100 text-slate-700", fill: "fill-slate-400" };

export function gradeTone(grade: string | null | undefined) {
  const letter = grade?.[0] as keyof typeof GRADE_TONES | undefined;
  return (letter && GRADE_TONES[letter]) || NONE;
}

/** The fill class for a score (0-100) when only the score is known. */
export function scoreFill(score: number | null | undefined): string {
  if (score === null || score === undefined) return NONE.fill;
  return gradeTone(score >= 90 ? "A" : score >= 80 ? "B" : score >= 70 ? "C" : score >= 60 ? "D" : "F").fill;
}

export function GradeBadge({ grade, size = "md" }: { grade: string | null | undefined; size?: "md" | "lg" }) {
  const sizes = size === "lg" ? "h-14 min-w-14 text-2xl" : "h-7 min-w-9 text-sm";
  return (
    <span role="img" className={`inline-flex items-center justify-center rounded-md border px-1.5 font-bold ${sizes} ${gradeTone(grade).badge}`} aria-label={grade ? `Grade ${grade}` : "No grade yet"}>
      {grade ?? "–"}
    </span>
  );
}
