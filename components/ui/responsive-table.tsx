/**
 * A table that becomes stacked cards on small screens: rows turn into blocks and each cell shows
 * its column name (data-label, drawn by CSS: .rt-cell in app/globals.css). Explicit ARIA roles keep
 * the table semantics when the display changes (some browsers drop them for display: block).
 */
export function RTable({ label, className = "", children }: { label: string; className?: string; children: React.ReactNode }) {
  return (
    <table role="table" aria-label={label} className={`w-full border-collapse text-sm ${className}`}>
      {children}
    </table>
  );
}

export function RHead({ columns }: { columns: readonly (string | { label: string; className?: string; srOnly?: boolean })[] }) {
  return (
    <thead role="rowgroup" className="hidden md:table-header-group">
      <tr role="row" className="border-b border-slate-200 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
        {columns.map((c) => {
          const col = typeof c === "string" ? { label: c } : c;
          return (
            <th key={col.label} role="columnheader" scope="col" className={`px-3 py-2 ${col.className ?? ""}`}>
              {col.srOnly ? <span className="sr-only">{col.label}</span> : col.label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

export function RBody({ children }: { children: React.ReactNode }) {
  return (
    <tbody role="rowgroup" className="block space-y-3 md:table-row-group md:space-y-0">
      {children}
    </tbody>
  );
}

export function RRow({ className = "", children, ...props }: React.HTMLAttributes<HTMLTableRowElement>) {
  return (
    <tr
      role="row"
      className={className ? `rt-row ${className}` : "rt-row"}
      {...props}
    >
      {children}
    </tr>
  );
}

/** A cell; `label` is shown above the content on small screens (omit it for self-explaining cells). */
export function RCell({ label, className = "", children, header = false }: { label?: string; className?: string; children: React.ReactNode; header?: boolean }) {
  // Kept lean: a findings page renders hundreds of these (the label is CSS generated content, not an element).
  const classes = className ? `rt-cell ${className}` : "rt-cell";
  return header ? (
    <th role="rowheader" scope="row" data-label={label} className={`text-left font-normal ${classes}`}>
      {children}
    </th>
  ) : (
    <td role="cell" data-label={label} className={classes}>
      {children}
    </td>
  );
}
