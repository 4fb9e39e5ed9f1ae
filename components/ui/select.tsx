import { useId } from "react";

/** A labelled native select (keyboard and screen-reader friendly as is). */
export function Select({
  label,
  hint,
  error,
  className = "",
  hideLabel = false,
  children,
  ...select
}: React.SelectHTMLAttributes<HTMLSelectElement> & { label: string; hint?: string; error?: string; hideLabel?: boolean }) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className={hideLabel ? "sr-only" : "block text-sm font-medium text-slate-800"}>
        {label}
      </label>
      <select
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`${hideLabel ? "" : "mt-1"} block w-full rounded-md border bg-white px-2 py-2 text-sm shadow-sm ${error ? "border-red-600" : "border-slate-300"}`}
        {...select}
      >
        {children}
      </select>
      {hint && (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
