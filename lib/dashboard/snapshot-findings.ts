/**
 * The cluster page's reads of one snapshot's findings, shaped for 50,000 rows: the page itself by
 * keyset (the (snapshotId, severity, id) index, never an offset), and what does not change until
 * the snapshot is evaluated again (totals per filter, the filter menus, what changed) computed
 * once per evaluation and kept in the snapshot cache. Every query runs through the tenant scope.
 *
 * Why not the findings domain functions as they are: each resolves the snapshot again in its own
 * transaction and recounts every view; the diff's anti-join there plans as a nested loop on
 * freshly inserted (not yet analyzed) findings, seconds on 50,000 rows. Here the join is forced
 * to hash and the page to the index's order (transaction-local planner settings), and what can be
 * is computed once per evaluation.
 */
import { Prisma } from "@/lib/db/generated/prisma/client";
import type { TenantScope, TenantTx } from "@/lib/tenancy/tenant-db";
import { checkById } from "@/lib/engine/checks/registry";
import { decodeCursor, encodeCursor, filterConditions, findingFiltersSchema } from "@/lib/findings/finding-filters";
import { findingColumns, toFindingView, type FindingRow, type FindingView } from "@/lib/findings/finding-view";
import { inSnapshot, isNewIn, type SnapshotPosition } from "@/lib/findings/snapshot-membership";
import { withPlannerSetting } from "@/lib/db/planner-setting";
import { readSnapshotChanges } from "@/lib/findings/read-snapshot-changes";
import { snapshotCache, snapshotKey, type SnapshotVersion } from "./snapshot-cache";
import { findingFilterParams, type FindingsUrlState } from "./findings-url";

export interface SnapshotFindingsPage {
  findings: FindingView[];
  total: number;
  nextCursor: string | null;
}

export interface SnapshotFacets {
  namespaces: { value: string; label: string; count: number }[];
  checks: { id: string; title: string; count: number }[];
}

export interface SnapshotChangesView {
  previous: { snapshotId: string; score: number | null } | null;
  newFindings: FindingView[];
  resolvedFindings: FindingView[];
  newCount: number;
  resolvedCount: number;
}

function whereFor(snapshot: SnapshotPosition, state: FindingsUrlState): Prisma.Sql {
  const filters = findingFiltersSchema.parse(findingFilterParams(state));
  return Prisma.join([inSnapshot(snapshot), ...filterConditions(filters, isNewIn(snapshot))], " AND ");
}

/** One page of findings in severity then engine order, inside the caller's transaction (keyset on the cluster's index). */
export async function readFindingsPage(tx: TenantTx, snapshot: SnapshotPosition, state: FindingsUrlState, limit: number): Promise<Omit<SnapshotFindingsPage, "total">> {
  const where = whereFor(snapshot, state);
  const after = decodeCursor(state.cursor);
  const pageWhere = after ? Prisma.sql`${where} AND (f.severity, f.id) > (${after.severity}::"Severity", ${after.id})` : where;
  // Read in the index's order and stop at the page's end: never sort the whole snapshot (what the
  // planner picks while its statistics still think the snapshot is small).
  const rows = await withPlannerSetting(tx, "enable_sort", "off", () => tx.$queryRaw<FindingRow[]>`SELECT ${findingColumns(isNewIn(snapshot))} FROM "Finding" f WHERE ${pageWhere} ORDER BY f.severity, f.id LIMIT ${limit + 1}`);
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown.at(-1);
  return { findings: shown.map(toFindingView), nextCursor: more && last ? encodeCursor(last.severity, last.id) : null };
}

/** How many findings match the filters (all pages), counted once per evaluation and filter set. */
export function snapshotFindingsTotal(scope: TenantScope, version: SnapshotVersion, state: FindingsUrlState): Promise<number> {
  const filterKey = new URLSearchParams(findingFilterParams(state)).toString();
  return snapshotCache.get(snapshotKey(version, "count", filterKey), () =>
    scope.transaction(async (tx) => {
      const [row] = await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Finding" f WHERE ${whereFor(version.position, state)}`;
      return row?.n ?? 0;
    }),
  );
}

/** Namespaces and checks present, with counts, for the filter menus. */
export function snapshotFacets(scope: TenantScope, version: SnapshotVersion): Promise<SnapshotFacets> {
  return snapshotCache.get(snapshotKey(version, "facets"), () =>
    scope.transaction(async (tx) => {
      const namespaces = await tx.$queryRaw<{ namespace: string | null; n: number }[]>`
        SELECT f.namespace, count(*)::int AS n FROM "Finding" f WHERE ${inSnapshot(version.position)} GROUP BY f.namespace ORDER BY f.namespace NULLS FIRST`;
      const checks = await tx.$queryRaw<{ checkId: string; n: number }[]>`
        SELECT f."checkId", count(*)::int AS n FROM "Finding" f WHERE ${inSnapshot(version.position)} GROUP BY f."checkId"`;
      return {
        namespaces: namespaces.map((r) => ({ value: r.namespace ?? "-", label: r.namespace ?? "(cluster-scoped)", count: r.n })),
        checks: checks.map((r) => ({ id: r.checkId, title: checkById(r.checkId)?.title ?? r.checkId, count: r.n })).sort((a, b) => a.title.localeCompare(b.title)),
      };
    }),
  );
}

/** Findings new in this snapshot and resolved since the previous one (the first `shown` of each, and the totals). */
export function snapshotChanges(scope: TenantScope, version: SnapshotVersion, previous: { snapshotId: string; score: number | null } | null, shown: number): Promise<SnapshotChangesView> {
  return snapshotCache.get(snapshotKey(version, "changes", previous?.snapshotId ?? "", String(shown)), () =>
    scope.transaction(async (tx) => ({ previous, ...(await readSnapshotChanges(tx, version.position, shown)) })),
  );
}
