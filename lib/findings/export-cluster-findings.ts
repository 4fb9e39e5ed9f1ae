/**
 * A cluster's findings (latest snapshot, optionally filtered) as a downloadable file: JSON (the
 * findings with the cluster's score), CSV (spreadsheets) or SARIF 2.1.0 (code-scanning tools).
 */
import { z } from "zod";
import { Prisma } from "@/lib/db/generated/prisma/client";
import { notFound } from "@/lib/errors";
import { settings } from "@/lib/config/settings";
import type { TenantScope } from "@/lib/tenancy/tenant-db";
import { filterConditions, findingFiltersSchema, type FindingFilters } from "./finding-filters";
import { findingColumns, toFindingView, type FindingRow } from "./finding-view";
import { inSnapshot, isNewIn, SNAPSHOT_POSITION_SELECT } from "./snapshot-membership";
import { findingsToCsv } from "./findings-csv";
import { findingsToSarif } from "./findings-sarif";

export const exportFormatSchema = z.enum(["json", "csv", "sarif"]);
export type ExportFormat = z.infer<typeof exportFormatSchema>;

export interface ExportFile {
  filename: string;
  contentType: string;
  body: string;
}

const TOOL_VERSION = "1";

export async function exportClusterFindings(options: { scope: TenantScope; clusterId: string; format: ExportFormat; filters?: Partial<FindingFilters> | Record<string, unknown>; now?: Date }): Promise<ExportFile> {
  const { scope } = options;
  scope.assert("finding:export");
  const format = exportFormatSchema.parse(options.format);
  const filters = findingFiltersSchema.parse(options.filters ?? {});
  const now = options.now ?? new Date();
  return scope.transaction(
    async (tx) => {
      const cluster = await tx.cluster.findFirst({ where: { id: options.clusterId, orgId: scope.orgId }, select: { id: true, name: true, environment: true, latestSnapshotId: true } });
      if (!cluster) throw notFound("Cluster");
      if (!cluster.latestSnapshotId) throw notFound("Snapshot");
      const snapshot = await tx.snapshot.findFirstOrThrow({ where: { id: cluster.latestSnapshotId, orgId: scope.orgId }, select: { ...SNAPSHOT_POSITION_SELECT, collectedAt: true, score: true, grade: true, coverage: true } });
      const isNew = isNewIn(snapshot);
      const where = Prisma.join([inSnapshot(snapshot), ...filterConditions(filters, isNew)], " AND ");
      const rows = await tx.$queryRaw<FindingRow[]>`SELECT ${findingColumns(isNew)} FROM "Finding" f WHERE ${where} ORDER BY f.severity, f.id`;
      const findings = rows.map(toFindingView);
      const stamp = (snapshot.collectedAt ?? now).toISOString().slice(0, 10);
      const base = `ramparts-${cluster.name}-${stamp}`;
      if (format === "csv") return { filename: `${base}.csv`, contentType: "text/csv; charset=utf-8", body: findingsToCsv(findings) };
      if (format === "sarif") {
        const sarif = findingsToSarif(findings, { toolVersion: TOOL_VERSION, informationUri: settings().appUrl, cluster, snapshot });
        return { filename: `${base}.sarif`, contentType: "application/sarif+json", body: JSON.stringify(sarif, null, 2) };
      }
      const json = {
        exportedAt: now.toISOString(),
        cluster: { id: cluster.id, name: cluster.name, environment: cluster.environment },
        snapshot: { id: snapshot.id, collectedAt: snapshot.collectedAt?.toISOString() ?? null, score: snapshot.score, grade: snapshot.grade, coverage: snapshot.coverage },
        filters,
        findings,
      };
      return { filename: `${base}.json`, contentType: "application/json", body: JSON.stringify(json, null, 2) };
    },
    { timeoutMs: 60_000 },
  );
}
