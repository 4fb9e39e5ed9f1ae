const TONES = {
  neutral: "border-slate-300 bg-slate-100 text-slate-800",
  info: "border-blue-200 bg-blue-50 text-blue-900",
  success: "border-green-200 bg-green-50 text-green-900",
  warning: "border-amber-300 bg-amber-50 text-amber-900",
  danger: "border-red-200 bg-red-50 text-red-900",
  critical: "border-red-800 bg-red-800 text-white",
} as const;

export type BadgeTone = keyof typeof TONES;

export function Badge({ tone = "neutral", className = "", ...props }: React.HTMLAttributes<HTMLSpanElement> & { tone?: BadgeTone }) {
  return <span className={`badge ${TONES[tone]}${className ? ` ${className}` : ""}`} {...props} />;
}
