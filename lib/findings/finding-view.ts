/**
 * A finding as the dashboard shows it: the check's title beside its id, the exact resource and
 * field, and ids as strings (JSON has no 64-bit integers).
 */
import { Prisma } from "@/lib/db/generated/prisma/client";
import { checkById } from "@/lib/engine/checks/registry";
import { LAYERS } from "@/lib/engine/model/layers";

export interface FindingView {
  id: string;
  checkId: string;
  checkTitle: string;
  layer: number;
  layerName: string;
  severity: "CRITICAL" | "HIGH" | "MEDIUM" | "LOW";
  status: "FAIL" | "UNKNOWN" | "EXCEPTED";
  fingerprint: string;
  resource: { apiVersion: string; kind: string; namespace: string | null; name: string };
  container: string | null;
  /** Exact field path, e.g. spec.template.spec.containers[0].securityContext.privileged. */
  path: string | null;
  message: string;
  exceptionId: string | null;
  /** Absent from the previous snapshot of the cluster. */
  isNew: boolean;
}

export interface FindingRow {
  id: bigint;
  checkId: string;
  layer: number;
  severity: string;
  status: string;
  fingerprint: string;
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
  container: string | null;
  path: string | null;
  message: string;
  exceptionId: string | null;
  isNew: boolean;
}

const STORED_COLUMNS = `f.id, f."checkId", f.layer, f.severity::text AS severity, f.status::text AS status, f.fingerprint, f."apiVersion", f.kind, f.namespace, f.name, f.container, f.path, f.message, f."exceptionId"`;

/** Columns of FindingRow, for raw queries on alias f; `isNew` depends on the snapshot read (lib/findings/snapshot-membership.ts). */
export function findingColumns(isNew: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`${Prisma.raw(STORED_COLUMNS)}, ${isNew} AS "isNew"`;
}

export function toFindingView(row: FindingRow): FindingView {
  return {
    id: row.id.toString(),
    checkId: row.checkId,
    checkTitle: checkById(row.checkId)?.title ?? row.checkId,
    layer: row.layer,
    layerName: LAYERS[row.layer - 1]?.name ?? `Layer ${row.layer}`,
    severity: row.severity as FindingView["severity"],
    status: row.status as FindingView["status"],
    fingerprint: row.fingerprint,
    resource: { apiVersion: row.apiVersion, kind: row.kind, namespace: row.namespace, name: row.name },
    container: row.container,
    path: row.path,
    message: row.message,
    exceptionId: row.exceptionId,
    isNew: row.isNew,
  };
}
