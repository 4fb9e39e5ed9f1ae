/**
 * The findings table of a cluster's page: its latest snapshot (or a given one), filtered, in
 * severity then engine order, a page at a time (keyset: stable and fast on the 50,000th row as
 * on the first), with the total that matches the filters and the namespaces and checks present
 * (for the filter menus).
 */
import { Prisma } from "@/lib/db/generated/prisma/client";
import { notFound } from "@/lib/errors";
import type { TenantScope, TenantTx } from "@/lib/tenancy/tenant-db";
import { decodeCursor, encodeCursor, filterConditions, findingFiltersSchema, pageSchema, type FindingFilters, type PageInput } from "./finding-filters";
import { findingColumns, toFindingView, type FindingRow, type FindingView } from "./finding-view";
import { inSnapshot, inSnapshotWhere, isNewIn, SNAPSHOT_POSITION_SELECT } from "./snapshot-membership";

export interface FindingsPage {
  snapshot: { id: string; collectedAt: Date | null; score: number | null; grade: string | null } | null;
  findings: FindingView[];
  /** Findings matching the filters (all pages). */
  total: number;
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface FindingFacets {
  namespaces: { namespace: string | null; count: number }[];
  checks: { checkId: string; count: number }[];
}

export async function resolveSnapshot(tx: TenantTx, orgId: string, clusterId: string, snapshotId?: string) {
  const cluster = await tx.cluster.findFirst({ where: { id: clusterId, orgId }, select: { id: true, latestSnapshotId: true } });
  if (!cluster) throw notFound("Cluster");
  const id = snapshotId ?? cluster.latestSnapshotId;
  if (!id) return null;
  const snapshot = await tx.snapshot.findFirst({ where: { id, orgId, clusterId: cluster.id, status: "READY" }, select: { ...SNAPSHOT_POSITION_SELECT, collectedAt: true, score: true, grade: true } });
  if (!snapshot && snapshotId) throw notFound("Snapshot");
  return snapshot;
}

/** `rows`: the rows of a snapshot (or of several: lib/findings/snapshot-membership.ts); `isNew`: what "new" is there. */
export async function queryFindingsPage(tx: TenantTx, rows: { in: Prisma.Sql; isNew: Prisma.Sql }, filters: FindingFilters, page: { cursor?: string; limit: number }): Promise<{ rows: (FindingRow & { clusterId: string })[]; total: number; nextCursor: string | null }> {
  const conditions = [rows.in, ...filterConditions(filters, rows.isNew)];
  const where = Prisma.join(conditions, " AND ");
  const after = decodeCursor(page.cursor);
  const pageWhere = after ? Prisma.sql`${where} AND (f.severity, f.id) > (${after.severity}::"Severity", ${after.id})` : where;
  const found = await tx.$queryRaw<(FindingRow & { clusterId: string })[]>`
    SELECT ${findingColumns(rows.isNew)}, f."clusterId" FROM "Finding" f
    WHERE ${pageWhere} ORDER BY f.severity, f.id LIMIT ${page.limit + 1}`;
  const [{ total }] = (await tx.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM "Finding" f WHERE ${where}`) as [{ total: number }];
  const more = found.length > page.limit;
  const shown = more ? found.slice(0, page.limit) : found;
  const last = shown.at(-1);
  return { rows: shown, total, nextCursor: more && last ? encodeCursor(last.severity, last.id) : null };
}

export async function listClusterFindings(options: { scope: TenantScope; clusterId: string; snapshotId?: string; filters?: Partial<FindingFilters> | Record<string, unknown>; page?: PageInput }): Promise<FindingsPage> {
  const { scope } = options;
  scope.assert("finding:read");
  const filters = findingFiltersSchema.parse(options.filters ?? {});
  const page = pageSchema.parse(options.page ?? {});
  return scope.transaction(async (tx) => {
    const snapshot = await resolveSnapshot(tx, scope.orgId, options.clusterId, options.snapshotId);
    if (!snapshot) return { snapshot: null, findings: [], total: 0, nextCursor: null };
    const result = await queryFindingsPage(tx, { in: inSnapshot(snapshot), isNew: isNewIn(snapshot) }, filters, page);
    return {
      snapshot: { id: snapshot.id, collectedAt: snapshot.collectedAt, score: snapshot.score, grade: snapshot.grade },
      findings: result.rows.map(toFindingView),
      total: result.total,
      nextCursor: result.nextCursor,
    };
  });
}

/** Namespaces and checks present in the cluster's latest findings, with counts, for the filter menus. */
export async function listFindingFacets(options: { scope: TenantScope; clusterId: string; snapshotId?: string }): Promise<FindingFacets> {
  const { scope } = options;
  scope.assert("finding:read");
  return scope.transaction(async (tx) => {
    const snapshot = await resolveSnapshot(tx, scope.orgId, options.clusterId, options.snapshotId);
    if (!snapshot) return { namespaces: [], checks: [] };
    const where = { ...inSnapshotWhere(snapshot), orgId: scope.orgId };
    const namespaces = await tx.finding.groupBy({ by: ["namespace"], where, _count: { _all: true }, orderBy: { namespace: "asc" } });
    const checks = await tx.finding.groupBy({ by: ["checkId"], where, _count: { _all: true }, orderBy: { checkId: "asc" } });
    return {
      namespaces: namespaces.map((n) => ({ namespace: n.namespace, count: n._count._all })),
      checks: checks.map((c) => ({ checkId: c.checkId, count: c._count._all })),
    };
  });
}
