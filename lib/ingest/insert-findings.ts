/**
 * Bulk insert of a report's findings: each batch of rows travels as ONE text parameter that
 * PostgreSQL splits into rows itself, never a statement per finding nor a parameter per value.
 *
 * Why (measured on 121,496 findings, bench/ingest-end-to-end.ts, PostgreSQL 15):
 * - one array parameter per column (the first version) cost about 1 s of Node CPU before
 *   PostgreSQL saw a byte (Prisma serializes and parses every element of every array, then
 *   node-postgres escapes each one) and 0.4 s of array parsing in PostgreSQL;
 * - COPY FROM STDIN is refused on a table with row-level security ("COPY FROM not supported
 *   with row-level security"); through a temporary table it would cost what the text
 *   parameter costs, plus a connection outside Prisma's transaction and another path for the
 *   embedded database;
 * - rows as JSON (json_to_recordset) cost PostgreSQL 0.5 s of parsing; the delimited text
 *   below costs it 0.23 s (string_to_array is a plain split), and Prisma passes it through
 *   without escaping anything.
 * So a batch is its rows joined by newlines, fields joined by U+007F, \N for NULL (as in COPY's
 * text format, without its escapes). A batch in which any value contains a newline, U+007F or
 * U+0000, or is exactly \N, is sent as JSON instead (json_array_elements), which carries any
 * text. Both run on PostgreSQL and on the embedded database.
 *
 * On PostgreSQL a batch goes straight to the transaction's own node-postgres connection, pipelined
 * (lib/db/transaction-connection.ts): Prisma's round trip of a few megabytes of parameter was
 * about a fifth of Node's insert work, and without pipelining PostgreSQL waited for Node to read
 * each answer before it got the next batch. The embedded database goes through Prisma.
 *
 * Batches are pipelined: the next batch is encoded while PostgreSQL inserts the previous one,
 * and the evaluation job hands findings over check by check, so most of the insert overlaps
 * the engine's run (lib/ingest/evaluate-snapshot.ts). Rows keep the engine's order (both
 * set-returning functions yield rows in order), so ids follow it.
 * PostgreSQL text cannot hold U+0000, nor a lone UTF-16 surrogate: both are stored as U+FFFD
 * (node-postgres turns a lone surrogate into U+FFFD when it encodes UTF-8, and always did).
 */
import type { TenantTx } from "@/lib/tenancy/tenant-db";
import { prismaStatements, type RunStatement } from "@/lib/db/transaction-connection";
import type { Finding } from "@/lib/engine/report/report-types";
import { severityKey } from "./snapshot-summary";
import { hash128 } from "@/lib/engine/report/fingerprint";

/** Findings per statement: about 3 MB of text, so no statement holds a large snapshot's whole text. */
export const FINDING_INSERT_BATCH = 10_000;

/** A finding's status as stored. */
export const STATUS = { fail: "FAIL", unknown: "UNKNOWN", excepted: "EXCEPTED" } as const;

export interface FindingRowContext {
  orgId: string;
  clusterId: string;
  /** The snapshot that reports the findings first. */
  snapshotId: string;
  /** The rows' range in the cluster's chain (lib/findings/snapshot-membership.ts): the snapshot's seq and null, or 0 and 0 for a detached snapshot. */
  firstSeq: number;
  endSeq: number | null;
  /** Ids of stored exceptions (rules whose id is not one of these came from elsewhere). */
  exceptionIds: ReadonlySet<string>;
}

/** One finding's columns besides the five the whole batch shares (org, cluster, snapshot, range), in INSERT order. */
type FindingRow = [
  checkId: string,
  layer: number,
  severity: string,
  status: string,
  fingerprint: string,
  apiVersion: string,
  kind: string,
  namespace: string | null,
  name: string,
  container: string | null,
  path: string | null,
  message: string,
  exceptionId: string | null,
  contentHash: string,
];

const COLUMNS = `"orgId", "clusterId", "snapshotId", "firstSeq", "endSeq", "checkId", layer, severity, status, fingerprint, "apiVersion", kind, namespace, name, container, path, message, "exceptionId", "contentHash"`;

/** Rows end with a newline, fields end with U+007F (DELETE): neither is escaped by JSON, which carries Prisma's parameters. */
export const ROW_SEPARATOR = "\n";
export const FIELD_SEPARATOR = "\u007f";
/** A NULL column (\N), as in COPY's text format. */
export const NULL_FIELD = "\\N";

/** A value with one of these cannot travel delimited (U+0000: PostgreSQL text cannot hold it). */
const NOT_DELIMITABLE = /[\u0000\n\u007f]/;

const DELIMITED_INSERT = `INSERT INTO "Finding" (${COLUMNS})
SELECT $1, $2, $3::uuid, $4::int, $5::int, f[1], f[2]::int, f[3]::"Severity", f[4]::"FindingStatus", f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12], f[13], f[14]
FROM unnest(string_to_array($6, E'\\n')) AS line, string_to_array(line, E'\\x7f', E'\\\\N') AS f`;

const JSON_INSERT = `INSERT INTO "Finding" (${COLUMNS})
SELECT $1, $2, $3::uuid, $4::int, $5::int, r->>0, (r->>1)::int, (r->>2)::"Severity", (r->>3)::"FindingStatus", r->>4, r->>5, r->>6, r->>7, r->>8, r->>9, r->>10, r->>11, r->>12, r->>13
FROM json_array_elements($6::json) AS r`;

/** U+0000, a high surrogate not followed by a low one, a low surrogate not preceded by a high one. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `value` as PostgreSQL text can store it: U+0000 and lone surrogates become U+FFFD. */
export function storableText(value: string): string {
  return value.replace(UNSTORABLE, "\uFFFD");
}

/** A batch as one text parameter and the statement that reads it. */
export interface EncodedBatch {
  format: "delimited" | "json";
  text: string;
  sql: string;
}

/** A value that can travel delimited: not the NULL marker, and no separator or U+0000 in it. */
function delimitable(value: string): boolean {
  return value !== NULL_FIELD && !NOT_DELIMITABLE.test(value);
}

/** The exception a finding's row links to: a stored one only. */
export function storedExceptionId(f: Finding, ctx: Pick<FindingRowContext, "exceptionIds">): string | null {
  const ruleId = f.exception?.source === "rule" ? f.exception.id : undefined;
  return ruleId !== undefined && ctx.exceptionIds.has(ruleId) ? ruleId : null;
}

/** What of a finding can change while its fingerprint stays, hashed: the next evaluation compares this, not the text. */
export function contentHashOf(f: Finding, ctx: Pick<FindingRowContext, "exceptionIds">): string {
  return hash128([severityKey(f.severity), STATUS[f.status], storedExceptionId(f, ctx) ?? "", f.message, f.resource.apiVersion]);
}

/**
 * A batch of findings as one text parameter: delimited when every value allows it, else JSON
 * (whose strings are made storable). Encodes straight from the findings, without a row array
 * per finding (a third less work on the evaluation job's thread). `hashes`: the findings'
 * content hashes when the caller has them (else computed here).
 */
export function encodeFindings(findings: readonly Finding[], ctx: Pick<FindingRowContext, "exceptionIds">, hashes?: readonly string[]): EncodedBatch {
  const lines = new Array<string>(findings.length);
  const fields = new Array<string>(14);
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    const r = f.resource;
    const exceptionId = storedExceptionId(f, ctx);
    if (
      !delimitable(f.checkId) ||
      !delimitable(f.fingerprint) ||
      !delimitable(r.apiVersion) ||
      !delimitable(r.kind) ||
      !delimitable(r.name) ||
      !delimitable(f.message) ||
      (r.namespace != null && !delimitable(r.namespace)) ||
      (f.container !== null && !delimitable(f.container)) ||
      (f.path !== null && !delimitable(f.path)) ||
      (exceptionId !== null && !delimitable(exceptionId))
    ) {
      return encodeAsJson(findings.map((finding, k) => findingRow(finding, ctx, hashes?.[k])));
    }
    fields[0] = f.checkId;
    fields[1] = String(f.layer);
    fields[2] = severityKey(f.severity);
    fields[3] = STATUS[f.status];
    fields[4] = f.fingerprint;
    fields[5] = r.apiVersion;
    fields[6] = r.kind;
    fields[7] = r.namespace ?? NULL_FIELD;
    fields[8] = r.name;
    fields[9] = f.container ?? NULL_FIELD;
    fields[10] = f.path ?? NULL_FIELD;
    fields[11] = f.message;
    fields[12] = exceptionId ?? NULL_FIELD;
    fields[13] = hashes?.[i] ?? contentHashOf(f, ctx);
    // Array#join is native: several times faster than building the line with + or a template.
    lines[i] = fields.join(FIELD_SEPARATOR);
  }
  return { format: "delimited", text: lines.join(ROW_SEPARATOR), sql: DELIMITED_INSERT };
}

function encodeAsJson(rows: readonly FindingRow[]): EncodedBatch {
  const clean = rows.map((row) => row.map((value) => (typeof value === "string" ? storableText(value) : value)));
  return { format: "json", text: JSON.stringify(clean), sql: JSON_INSERT };
}

/** One finding's columns, for the JSON encoding (and for reading what a batch holds). */
function findingRow(f: Finding, ctx: Pick<FindingRowContext, "exceptionIds">, hash = contentHashOf(f, ctx)): FindingRow {
  return [
    f.checkId,
    f.layer,
    severityKey(f.severity),
    STATUS[f.status],
    f.fingerprint,
    f.resource.apiVersion,
    f.resource.kind,
    f.resource.namespace ?? null,
    f.resource.name,
    f.container,
    f.path,
    f.message,
    storedExceptionId(f, ctx),
    hash,
  ];
}

/**
 * Statements given to the connection at once, in the order they were made (their ids follow the
 * engine's order). Through Prisma the next is sent when Node reads the previous answer, so two
 * keep one encoded ahead. On a pipelined connection each is on the wire at once: more of them
 * keep PostgreSQL busy through the engine's longest checks (up to 300 ms, while batches take 150).
 */
const IN_FLIGHT = 2;
export const PIPELINED_IN_FLIGHT = 6;

/**
 * While no statement is in flight (the database has nothing to do: at the start, or when it has
 * caught up with the engine), a batch goes out as soon as it holds this many findings rather
 * than `batchSize`: the database starts early and is not left idle while a batch fills.
 */
export const FINDING_EAGER_BATCH = 1_000;

/**
 * Inserts findings as they are handed over (a check's at a time, while the engine runs the
 * next ones): every `batchSize` findings become one statement (`FINDING_EAGER_BATCH` while the
 * database is idle). Nothing here blocks the caller: a batch waits, as a promise, for a free
 * place in flight. `finish()` sends the rest and waits for every statement; `settle()` (always,
 * in a finally) lets statements still queued end before a rollback.
 */
export class FindingInserter {
  private pending: Finding[] = [];
  private pendingHashes: string[] = [];
  private readonly statements: Promise<number>[] = [];
  private inserted = 0;
  private unsettled = 0;
  private readonly eagerSize: number;
  private readonly batchSize: number;
  private readonly inFlight: number;

  /** `run`: the transaction's statements (its own connection on PostgreSQL: lib/db/transaction-connection.ts). */
  constructor(
    private readonly run: RunStatement,
    private readonly ctx: FindingRowContext,
    options: { batchSize?: number; inFlight?: number } = {},
  ) {
    this.batchSize = options.batchSize ?? FINDING_INSERT_BATCH;
    this.inFlight = options.inFlight ?? IN_FLIGHT;
    this.eagerSize = Math.min(FINDING_EAGER_BATCH, this.batchSize);
  }

  add(findings: readonly Finding[]): void {
    for (const finding of findings) this.push(finding, contentHashOf(finding, this.ctx));
    this.flushIfIdle();
  }

  /** One finding and its content hash; the caller calls `flushIfIdle()` once it handed over a check's worth. */
  push(finding: Finding, contentHash: string): void {
    this.pending.push(finding);
    this.pendingHashes.push(contentHash);
    if (this.pending.length >= this.batchSize) this.send();
  }

  flushIfIdle(): void {
    if (this.unsettled === 0 && this.pending.length >= this.eagerSize) this.send();
  }

  async finish(): Promise<{ inserted: number }> {
    if (this.pending.length > 0) this.send();
    for (const statement of this.statements) await statement;
    return { inserted: this.inserted };
  }

  async settle(): Promise<void> {
    await Promise.allSettled(this.statements);
  }

  private send(): void {
    const batch = this.pending;
    const hashes = this.pendingHashes;
    this.pending = [];
    this.pendingHashes = [];
    const k = this.statements.length;
    // A failed statement fails every later one before it is sent.
    const turn = k >= this.inFlight ? this.statements[k - this.inFlight]! : undefined;
    const { orgId, clusterId, snapshotId, firstSeq, endSeq } = this.ctx;
    const statement = Promise.resolve(turn).then(() => {
      const encoded = encodeFindings(batch, this.ctx, hashes);
      this.inserted += batch.length;
      return this.run(encoded.sql, [orgId, clusterId, snapshotId, firstSeq, endSeq, encoded.text]);
    });
    this.unsettled++;
    // Awaited in finish() (its error surfaces there); handled now so it never counts as unhandled meanwhile.
    statement.then(
      () => this.unsettled--,
      () => this.unsettled--,
    );
    this.statements.push(statement);
  }
}

/** Inserts a whole list of findings (a report's, or a test's), through Prisma unless `run` is given. */
export async function insertFindings(tx: TenantTx, findings: readonly Finding[], ctx: FindingRowContext, options: { batchSize?: number; run?: RunStatement; inFlight?: number } = {}): Promise<{ inserted: number }> {
  const inserter = new FindingInserter(options.run ?? prismaStatements(tx), ctx, { batchSize: options.batchSize, inFlight: options.inFlight });
  try {
    inserter.add(findings);
    return await inserter.finish();
  } finally {
    await inserter.settle();
  }
}
