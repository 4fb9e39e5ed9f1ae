import { scoreFill } from "./grade";

export interface LayerScoreLike {
  id: number;
  name: string;
  score: number | null;
}

/** A bar per layer (0-100), drawn with SVG attributes. Layers nothing could evaluate show an empty track. */
export function ScoreBar({ score, label, className = "h-2 w-full", fill }: { score: number | null; label: string; className?: string; fill?: string }) {
  return (
    <svg viewBox="0 0 100 6" preserveAspectRatio="none" className={className} role="img" aria-label={label}>
      <rect x="0" y="0" width="100" height="6" rx="1.5" className="fill-slate-200" />
      {score !== null && <rect x="0" y="0" width={Math.max(1.5, Math.min(100, score))} height="6" rx="1.5" className={fill ?? scoreFill(score)} />}
    </svg>
  );
}

/** The fleet row's six mini bars, labelled for screen readers. */
export function LayerMiniBars({ layers }: { layers: readonly LayerScoreLike[] }) {
  const byId = new Map(layers.map((l) => [l.id, l]));
  return (
    <ol aria-label="Layer scores" className="grid w-40 grid-cols-[auto_1fr_auto] items-center gap-x-1.5 gap-y-0.5 text-[11px] leading-tight text-slate-700">
      {[1, 2, 3, 4, 5, 6].map((id) => {
        const layer = byId.get(id);
        const score = layer?.score ?? null;
        const name = layer?.name ?? `Layer ${id}`;
        return (
          <li key={id} className="contents">
            <span aria-hidden="true" className="tabular-nums">
              L{id}
            </span>
            <ScoreBar score={score} label={`${name}: ${score === null ? "not evaluated" : `${score} of 100`}`} className="h-1.5 w-full" />
            <span aria-hidden="true" className="w-6 text-right tabular-nums">
              {score ?? "–"}
            </span>
          </li>
        );
      })}
    </ol>
  );
}
