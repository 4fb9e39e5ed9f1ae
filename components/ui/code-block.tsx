import { CopyButton } from "./copy-button";

/** A block of code or commands with a copy button; scrolls sideways instead of breaking lines. */
export function CodeBlock({ code, label, copyLabel = "Copy" }: { code: string; label?: string; copyLabel?: string }) {
  return (
    <figure className="my-3 overflow-hidden rounded-md border border-slate-300 bg-slate-900">
      <div className="flex items-center justify-between gap-2 border-b border-slate-300 bg-slate-100 px-3 py-1.5">
        <figcaption className="text-xs font-medium text-slate-700">{label ?? ""}</figcaption>
        <CopyButton text={code} label={copyLabel} />
      </div>
      <pre className="overflow-x-auto p-3 text-xs leading-relaxed text-slate-50">
        <code>{code}</code>
      </pre>
    </figure>
  );
}
