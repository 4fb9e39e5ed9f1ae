/**
 * The fleet overview's sort and filters (?sort=score&env=production&health=stale&grade=F&q=eu),
 * applied to the organization's clusters in memory: a fleet is tens to hundreds of rows, read
 * in one set-based call (listClusters).
 */
import type { ClusterOverview } from "@/lib/clusters/cluster-overview";
import type { SearchParamsLike } from "./findings-url";

export const FLEET_SORTS = {
  score: "Lowest score first",
  "-score": "Highest score first",
  name: "Name",
  "last-seen": "Most recently seen",
  environment: "Environment",
} as const;
export type FleetSort = keyof typeof FLEET_SORTS;

export const FLEET_HEALTH = { ok: "Reporting", stale: "Stale", waiting: "Waiting for first snapshot" } as const;
export const GRADE_GROUPS = ["A", "B", "C", "D", "F"] as const;

export interface FleetQuery {
  sort: FleetSort;
  env?: string;
  health?: keyof typeof FLEET_HEALTH;
  grade?: (typeof GRADE_GROUPS)[number];
  q?: string;
}

function one(params: SearchParamsLike, key: string): string | undefined {
  const v = params instanceof URLSearchParams ? params.get(key) : params[key];
  const s = (Array.isArray(v) ? v[0] : v)?.trim();
  return s ? s.slice(0, 100) : undefined;
}

export function readFleetQuery(params: SearchParamsLike): FleetQuery {
  const sort = one(params, "sort");
  const health = one(params, "health");
  const grade = one(params, "grade")?.toUpperCase();
  const env = one(params, "env");
  const q = one(params, "q");
  return {
    // Worst first by default: the fleet page is where you look for what needs attention.
    sort: sort && sort in FLEET_SORTS ? (sort as FleetSort) : "score",
    ...(health && health in FLEET_HEALTH ? { health: health as FleetQuery["health"] } : {}),
    ...(grade && (GRADE_GROUPS as readonly string[]).includes(grade) ? { grade: grade as FleetQuery["grade"] } : {}),
    ...(env ? { env } : {}),
    ...(q ? { q } : {}),
  };
}

export function fleetQueryString(query: FleetQuery): string {
  const params = new URLSearchParams();
  if (query.sort !== "score") params.set("sort", query.sort);
  if (query.env) params.set("env", query.env);
  if (query.health) params.set("health", query.health);
  if (query.grade) params.set("grade", query.grade);
  if (query.q) params.set("q", query.q);
  return params.toString();
}

export function isFiltered(query: FleetQuery): boolean {
  return Boolean(query.env || query.health || query.grade || query.q);
}

type FleetRow = Pick<ClusterOverview, "name" | "environment" | "health" | "lastSeenAt"> & { latest: Pick<NonNullable<ClusterOverview["latest"]>, "score" | "grade"> | null };

export function applyFleetQuery<T extends FleetRow>(clusters: readonly T[], query: FleetQuery): T[] {
  const q = query.q?.toLowerCase();
  const rows = clusters.filter(
    (c) =>
      (!query.env || c.environment === query.env) &&
      (!query.health || c.health === query.health) &&
      (!query.grade || c.latest?.grade.startsWith(query.grade)) &&
      (!q || c.name.toLowerCase().includes(q) || c.environment.toLowerCase().includes(q)),
  );
  const byName = (a: T, b: T) => a.name.localeCompare(b.name);
  // Clusters without a score yet go last in score orders, whichever the direction.
  const score = (c: T, direction: 1 | -1) => (c.latest ? c.latest.score * direction : Number.POSITIVE_INFINITY);
  const compare: Record<FleetSort, (a: T, b: T) => number> = {
    name: byName,
    score: (a, b) => score(a, 1) - score(b, 1) || byName(a, b),
    "-score": (a, b) => score(a, -1) - score(b, -1) || byName(a, b),
    "last-seen": (a, b) => (b.lastSeenAt?.getTime() ?? 0) - (a.lastSeenAt?.getTime() ?? 0) || byName(a, b),
    environment: (a, b) => a.environment.localeCompare(b.environment) || byName(a, b),
  };
  return [...rows].sort(compare[query.sort]);
}
