/**
 * What the input could see. A live snapshot carries coverage per list; manifests
 * carry none and are taken as the whole truth ("closed world").
 */
import type { CoverageEntry } from "@/lib/engine/model/engine-input";
import type { ListVisibility } from "@/lib/engine/model/check";

const RANK: Record<ListVisibility, number> = { ok: 4, absent: 3, error: 2, forbidden: 1, "not-collected": 0 };

export type VisibilityLookup = (group: string, resource: string) => ListVisibility;

export function visibilityLookup(coverage: readonly CoverageEntry[] | undefined): VisibilityLookup {
  if (!coverage) return () => "ok";
  const best = new Map<string, ListVisibility>();
  for (const entry of coverage) {
    const key = `${entry.group}/${entry.resource}`;
    const prev = best.get(key);
    if (!prev || RANK[entry.status] > RANK[prev]) best.set(key, entry.status);
  }
  return (group, resource) => best.get(`${group}/${resource}`) ?? "not-collected";
}

/** ok, or absent (the API does not exist: the tool is not installed, its list is known to be empty). */
export function isVisible(v: ListVisibility): boolean {
  return v === "ok" || v === "absent";
}
