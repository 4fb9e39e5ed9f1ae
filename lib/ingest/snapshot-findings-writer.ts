/**
 * Writes an evaluation's findings as the rows of its snapshot (lib/findings/snapshot-membership.ts).
 * In the cluster's chain, each finding continues the open row of its fingerprint: nothing is
 * written when its content is the same, the row is updated when it changed (a message, a status
 * after an exception), and a finding without one gets a new row from this snapshot on. Open rows
 * no finding continued are closed at this snapshot (resolved). So a snapshot that reports what
 * the previous one did writes almost nothing, where it used to insert every finding again.
 * A detached snapshot (no open rows given) inserts all of its findings as rows of its own.
 *
 * Findings are handed over check by check while the engine runs: new rows go to the bulk inserter
 * at once (pipelined, lib/ingest/insert-findings.ts); updates and closes follow in `finish()`.
 */
import type { Finding } from "@/lib/engine/report/report-types";
import type { RunStatement } from "@/lib/db/transaction-connection";
import { contentHashOf, FindingInserter, STATUS, storableText, storedExceptionId, type FindingRowContext } from "./insert-findings";
import { severityKey } from "./snapshot-summary";
import type { Fingerprints, OpenFindings } from "./open-findings";

/** A row's new content (JSON: any text travels). */
interface ChangedRow {
  id: string;
  severity: string;
  status: string;
  exceptionId: string | null;
  message: string;
  apiVersion: string;
  contentHash: string;
}

export interface SnapshotFindingsWriteResult {
  /** Rows inserted (findings with no open row). */
  inserted: number;
  /** Open rows whose content changed. */
  updated: number;
  /** Open rows no finding continued (ended at this snapshot). */
  ended: number;
  /** Findings whose fingerprint the previous snapshot did not report. */
  newCount: number;
  /** Fingerprints of the previous snapshot no finding reported. */
  resolvedCount: number;
}

const UPDATE_CHANGED = `UPDATE "Finding" f SET severity = u.severity::"Severity", status = u.status::"FindingStatus", "exceptionId" = u."exceptionId", message = u.message, "apiVersion" = u."apiVersion", "contentHash" = u."contentHash"
FROM json_to_recordset($1::json) AS u(id bigint, severity text, status text, "exceptionId" text, message text, "apiVersion" text, "contentHash" text)
WHERE f.id = u.id AND f."clusterId" = $2`;

/** By primary key: `id = ANY(array)` (a subquery over a JSON array was planned as a scan of the cluster's rows per id). */
const UNTAKEN = `id = ANY($3::text::bigint[]) AND "clusterId" = $2 AND "endSeq" IS NULL`;
/** Resolved: the row ends at this snapshot. */
const CLOSE_UNTAKEN = `UPDATE "Finding" SET "endSeq" = $1::int WHERE "firstSeq" <> $1::int AND ${UNTAKEN}`;
/** A row that started at this very snapshot (a re-evaluation dropping it) would span nothing: it goes. */
const DROP_UNTAKEN = `DELETE FROM "Finding" WHERE "firstSeq" = $1::int AND ${UNTAKEN}`;

export class SnapshotFindingsWriter {
  private readonly inserter: FindingInserter;
  private readonly changed: ChangedRow[] = [];
  private newCount = 0;
  /** Reported fingerprints, kept only when the previous snapshot's are not the open rows' (which know it themselves). */
  private readonly reported: Set<string> | null;
  private readonly statements: Promise<number>[] = [];

  /**
   * `open`: the cluster's open rows when the snapshot continues the chain (null: detached, or the
   * chain's first); `previous`: fingerprints of the previous snapshot (null: nothing is new).
   */
  constructor(
    private readonly run: RunStatement,
    private readonly ctx: FindingRowContext,
    private readonly open: OpenFindings | null,
    private readonly previous: Fingerprints | null,
    options: { batchSize?: number; inFlight?: number } = {},
  ) {
    this.inserter = new FindingInserter(run, ctx, options);
    this.reported = previous !== null && previous !== open ? new Set() : null;
  }

  add(findings: readonly Finding[]): void {
    const { open, previous } = this;
    for (const f of findings) {
      if (previous !== null && !previous.has(f.fingerprint)) this.newCount++;
      this.reported?.add(f.fingerprint);
      const contentHash = contentHashOf(f, this.ctx);
      const taken = open?.take(f.fingerprint, contentHash);
      if (taken) {
        if (!taken.same) this.changed.push(this.changedRow(taken.row.id, f, contentHash));
        continue;
      }
      this.inserter.push(f, contentHash);
    }
    this.inserter.flushIfIdle();
  }

  /** Sends what is left; resolves when every statement is done. */
  async finish(): Promise<SnapshotFindingsWriteResult> {
    const inserting = this.inserter.finish();
    const { ids: untaken, goneFingerprints } = this.open?.untaken() ?? { ids: [], goneFingerprints: 0 };
    const { clusterId, firstSeq } = this.ctx;
    const statements = this.statements;
    if (this.changed.length > 0) statements.push(this.run(UPDATE_CHANGED, [JSON.stringify(this.changed), clusterId]));
    if (untaken.length > 0) {
      const ids = `{${untaken.join(",")}}`;
      statements.push(this.run(CLOSE_UNTAKEN, [firstSeq, clusterId, ids]), this.run(DROP_UNTAKEN, [firstSeq, clusterId, ids]));
    }
    const [{ inserted }, ...counts] = await Promise.all([inserting, ...statements]);
    const ended = untaken.length > 0 ? counts.at(-1)! + counts.at(-2)! : 0;
    // The rows were read as open under the cluster's lock: anything else is a bug, and rolls back.
    if (ended !== untaken.length) throw new Error(`closing resolved findings: ${ended} of ${untaken.length} rows were open`);
    return { inserted, updated: this.changed.length, ended, newCount: this.newCount, resolvedCount: this.resolvedCount(goneFingerprints) };
  }

  private resolvedCount(goneFingerprints: number): number {
    if (this.previous === null) return 0;
    if (this.reported === null) return goneFingerprints;
    let gone = 0;
    for (const fp of this.previous) if (!this.reported.has(fp)) gone++;
    return gone;
  }

  async settle(): Promise<void> {
    await Promise.allSettled([this.inserter.settle(), ...this.statements]);
  }

  private changedRow(id: string, f: Finding, contentHash: string): ChangedRow {
    const exceptionId = storedExceptionId(f, this.ctx);
    return {
      id,
      severity: severityKey(f.severity),
      status: STATUS[f.status],
      exceptionId: exceptionId === null ? null : storableText(exceptionId),
      message: storableText(f.message),
      apiVersion: storableText(f.resource.apiVersion),
      contentHash,
    };
  }
}
