/**
 * Bulk insert of a report's findings: one multi-row INSERT per batch (unnest of one array per
 * column), never a statement per finding. Rows keep the engine's order, so ids follow it.
 */
import type { TenantTx } from "@/lib/tenancy/tenant-db";
import type { Finding } from "@/lib/engine/report/report-types";
import { severityKey } from "./snapshot-summary";

export const FINDING_INSERT_BATCH = 5000;

const STATUS = { fail: "FAIL", unknown: "UNKNOWN", excepted: "EXCEPTED" } as const;

export interface FindingRowContext {
  orgId: string;
  clusterId: string;
  snapshotId: string;
  /** Fingerprints of the previous snapshot; null for a first snapshot (nothing is "new" then). */
  previousFingerprints: ReadonlySet<string> | null;
  /** Ids of stored exceptions (rules whose id is not one of these came from elsewhere). */
  exceptionIds: ReadonlySet<string>;
}

export async function insertFindings(tx: TenantTx, findings: readonly Finding[], ctx: FindingRowContext): Promise<{ inserted: number; newCount: number }> {
  let newCount = 0;
  for (let start = 0; start < findings.length; start += FINDING_INSERT_BATCH) {
    const batch = findings.slice(start, start + FINDING_INSERT_BATCH);
    const columns = {
      checkId: [] as string[],
      layer: [] as number[],
      severity: [] as string[],
      status: [] as string[],
      fingerprint: [] as string[],
      apiVersion: [] as string[],
      kind: [] as string[],
      namespace: [] as (string | null)[],
      name: [] as string[],
      container: [] as (string | null)[],
      path: [] as (string | null)[],
      message: [] as string[],
      exceptionId: [] as (string | null)[],
      isNew: [] as boolean[],
    };
    for (const f of batch) {
      const isNew = ctx.previousFingerprints !== null && !ctx.previousFingerprints.has(f.fingerprint);
      if (isNew) newCount++;
      const ruleId = f.exception?.source === "rule" ? f.exception.id : undefined;
      columns.checkId.push(f.checkId);
      columns.layer.push(f.layer);
      columns.severity.push(severityKey(f.severity));
      columns.status.push(STATUS[f.status]);
      columns.fingerprint.push(f.fingerprint);
      columns.apiVersion.push(f.resource.apiVersion);
      columns.kind.push(f.resource.kind);
      columns.namespace.push(f.resource.namespace ?? null);
      columns.name.push(f.resource.name);
      columns.container.push(f.container);
      columns.path.push(f.path);
      columns.message.push(f.message);
      columns.exceptionId.push(ruleId !== undefined && ctx.exceptionIds.has(ruleId) ? ruleId : null);
      columns.isNew.push(isNew);
    }
    await tx.$executeRawUnsafe(
      `INSERT INTO "Finding" ("orgId", "clusterId", "snapshotId", "checkId", layer, severity, status, fingerprint, "apiVersion", kind, namespace, name, container, path, message, "exceptionId", "isNew")
       SELECT $1, $2, $3::uuid, t."checkId", t.layer, t.severity::"Severity", t.status::"FindingStatus", t.fingerprint, t."apiVersion", t.kind, t.namespace, t.name, t.container, t.path, t.message, t."exceptionId", t."isNew"
       FROM unnest($4::text[], $5::int[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::boolean[])
         AS t("checkId", layer, severity, status, fingerprint, "apiVersion", kind, namespace, name, container, path, message, "exceptionId", "isNew")`,
      ctx.orgId,
      ctx.clusterId,
      ctx.snapshotId,
      columns.checkId,
      columns.layer,
      columns.severity,
      columns.status,
      columns.fingerprint,
      columns.apiVersion,
      columns.kind,
      columns.namespace,
      columns.name,
      columns.container,
      columns.path,
      columns.message,
      columns.exceptionId,
      columns.isNew,
    );
  }
  return { inserted: findings.length, newCount };
}
