"use client";

import { useState } from "react";
import { usePathname, useRouter } from "next/navigation";
import { Select } from "@/components/ui/select";
import { useHydrated } from "@/components/ui/use-hydrated";
import { Button } from "@/components/ui/button";
import { FLEET_HEALTH, FLEET_SORTS, GRADE_GROUPS, fleetQueryString, type FleetQuery } from "@/lib/dashboard/fleet-query";

/** Sort and filters of the fleet: each change goes into the URL, and the server renders the result. */
export function FleetControls({ query, environments }: { query: FleetQuery; environments: string[] }) {
  const hydrated = useHydrated();
  const router = useRouter();
  const pathname = usePathname();
  const [text, setText] = useState(query.q ?? "");
  const go = (next: FleetQuery) => {
    const qs = fleetQueryString(next);
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  };
  const set = (key: keyof FleetQuery, value: string) => {
    const next = { ...query, [key]: value || undefined } as FleetQuery;
    if (key === "sort") next.sort = (value || "score") as FleetQuery["sort"];
    go(next);
  };
  return (
    <form
      method="get"
      role="search"
      aria-label="Filter clusters"
      className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-[2fr_1fr_1fr_1fr_1fr_auto] lg:items-end"
      onSubmit={(e) => {
        e.preventDefault();
        go({ ...query, q: text.trim() || undefined });
      }}
    >
      <fieldset disabled={!hydrated} className="contents">
        <div className="col-span-2 sm:col-span-3 lg:col-span-1">
          <label htmlFor="fleet-q" className="block text-sm font-medium text-slate-800">
            Search clusters
          </label>
          <input
            id="fleet-q"
            name="q"
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Name or environment"
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm"
          />
        </div>
        <Select label="Sort by" name="sort" value={query.sort} onChange={(e) => set("sort", e.target.value)}>
          {Object.entries(FLEET_SORTS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
        <Select label="Environment" name="env" value={query.env ?? ""} onChange={(e) => set("env", e.target.value)}>
          <option value="">All</option>
          {environments.map((env) => (
            <option key={env} value={env}>
              {env}
            </option>
          ))}
        </Select>
        <Select label="Status" name="health" value={query.health ?? ""} onChange={(e) => set("health", e.target.value)}>
          <option value="">All</option>
          {Object.entries(FLEET_HEALTH).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
        <Select label="Grade" name="grade" value={query.grade ?? ""} onChange={(e) => set("grade", e.target.value)}>
          <option value="">All</option>
          {GRADE_GROUPS.map((g) => (
            <option key={g} value={g}>
              {g}
            </option>
          ))}
        </Select>
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </fieldset>
    </form>
  );
}
