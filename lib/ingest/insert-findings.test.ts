/**
 * The findings bulk insert against the real database (PostgreSQL with TEST_DATABASE_URL, else the
 * embedded one): awkward text in both encodings (delimited and JSON), NULL against the text "\N",
 * order and flags across pipelined batches, and a failing batch taking the whole write with it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/lib/testing/test-database";
import { createTestOrganization } from "@/lib/testing/factories";
import { inTenantTransaction, type TenantScope } from "@/lib/tenancy/tenant-db";
import type { Finding } from "@/lib/engine/report/report-types";
import type { Severity } from "@/lib/engine/model/check";
import { prismaStatements, transactionConnection, type RunStatement } from "@/lib/db/transaction-connection";
import type { TenantTx } from "@/lib/tenancy/tenant-db";
import { contentHashOf, encodeFindings, FindingInserter, insertFindings, PIPELINED_IN_FLIGHT, storableText, type FindingRowContext } from "./insert-findings";

let database: TestDatabase;
let scope: TenantScope;
beforeAll(async () => {
  database = await createTestDatabase();
  scope = await createTestOrganization(database.prisma);
});
afterAll(async () => database?.close());

let counter = 0;
function finding(overrides: Partial<Omit<Finding, "resource">> & { resource?: Partial<Finding["resource"]> } = {}): Finding {
  counter++;
  const { resource, ...rest } = overrides;
  return {
    fingerprint: `fp-${counter.toString().padStart(6, "0")}`,
    checkId: "run-as-root",
    status: "fail",
    severity: "high",
    layer: 1,
    container: "app",
    path: "spec.containers[0].securityContext.runAsNonRoot",
    message: `finding ${counter}`,
    ...rest,
    resource: { apiVersion: "apps/v1", kind: "Deployment", namespace: "team-a", name: `web-${counter}`, ...resource },
  };
}

function context(overrides: Partial<FindingRowContext> = {}): FindingRowContext {
  return { orgId: scope.orgId, clusterId: "cluster-under-test", snapshotId: crypto.randomUUID(), firstSeq: 0, endSeq: 0, exceptionIds: new Set(), ...overrides };
}

/**
 * Both ways statements reach the database: Prisma's (the embedded database, and the fallback) and
 * the transaction's own node-postgres connection (PostgreSQL). Without TEST_DATABASE_URL only the first exists.
 */
type Via = "prisma" | "connection";
const VIAS: Via[] = process.env.TEST_DATABASE_URL ? ["prisma", "connection"] : ["prisma"];

interface Channel {
  run: RunStatement;
  inFlight?: number;
  release(): void;
}

async function statements(tx: TenantTx, via: Via): Promise<Channel> {
  if (via === "prisma") return { run: prismaStatements(tx), release: () => {} };
  const connection = await transactionConnection(database.prisma, tx);
  if (!connection) throw new Error("the transaction's connection was not found");
  return { ...connection, inFlight: PIPELINED_IN_FLIGHT };
}

async function insert(findings: Finding[], ctx: FindingRowContext, batchSize: number | undefined, via: Via) {
  return inTenantTransaction(database.prisma, { orgId: scope.orgId, userId: null }, async (tx) => {
    const channel = await statements(tx, via);
    try {
      return await insertFindings(tx, findings, ctx, { batchSize, run: channel.run, inFlight: channel.inFlight });
    } finally {
      channel.release();
    }
  });
}

function stored(snapshotId: string) {
  return scope.db.finding.findMany({ where: { snapshotId }, orderBy: { id: "asc" } });
}

/** Text that breaks naive encoders: separators of both encodings, escapes, NULL look-alikes, non-ASCII. */
const AWKWARD = [
  "tab\there",
  "new\nline",
  "carriage\rreturn\r\n",
  "carriage return only\r",
  "back\\slash at the end\\",
  "\\N",
  "\\\\N",
  "\\n is not a newline",
  `quotes " and ' and \``,
  "delete\u007fcharacter",
  "controls \u0001\u0008\u000b\u000c\u001a\u001e\u001f",
  "accents é, CJK 中文, emoji 🛡️ and \u{1F600}",
  "",
  "  leading and trailing spaces  ",
  `{"looks":["like","json"],"n":null}`,
  "E'\\x7f' and $1 and ::uuid",
  "nul\u0000inside",
  "lone high \ud800 surrogate",
  "lone low \udc00 surrogate",
  "x".repeat(100_000),
];

describe.each(VIAS)("through %s", (via) => {
describe("text that PostgreSQL must store as given", () => {
  it("round-trips every awkward string in any column, in the delimited and the JSON encoding", async () => {
    // Batches of 2: some batches hold only ordinary text (delimited), others fall back to JSON.
    const findings = AWKWARD.flatMap((text, i) => [
      finding({ message: text, path: i % 2 ? text : null }),
      finding({ message: `plain ${i}`, container: text, resource: { name: text || "unnamed", namespace: i % 3 ? text : undefined } }),
    ]);
    const ctx = context();
    await insert(findings, ctx, 2, via);
    const rows = await stored(ctx.snapshotId);
    expect(rows).toHaveLength(findings.length);
    rows.forEach((row, i) => {
      const f = findings[i]!;
      expect(row.message).toBe(storableText(f.message));
      expect(row.path).toBe(f.path === null ? null : storableText(f.path));
      expect(row.container).toBe(f.container === null ? null : storableText(f.container));
      expect(row.name).toBe(storableText(f.resource.name));
      expect(row.namespace).toBe(f.resource.namespace === undefined ? null : storableText(f.resource.namespace));
    });
  });

  it("stores U+0000 and lone surrogates as U+FFFD (PostgreSQL text cannot hold them), and nothing else changes", () => {
    expect(storableText("a\u0000b")).toBe("a\uFFFDb");
    expect(storableText("a\ud800b\udc00c")).toBe("a\uFFFDb\uFFFDc");
    expect(storableText("pair \ud83d\ude00 kept")).toBe("pair \u{1F600} kept");
    expect(storableText("tab\tnew\nline\\N\u007f")).toBe("tab\tnew\nline\\N\u007f");
  });

  it("keeps NULL and the text \\N apart", async () => {
    const findings = [finding({ container: null, path: null, resource: { namespace: undefined } }), finding({ container: "\\N", path: "\\N", resource: { namespace: "\\N" } })];
    const ctx = context();
    await insert(findings, ctx, undefined, via);
    const [nulls, texts] = await stored(ctx.snapshotId);
    expect([nulls!.container, nulls!.path, nulls!.namespace]).toEqual([null, null, null]);
    expect([texts!.container, texts!.path, texts!.namespace]).toEqual(["\\N", "\\N", "\\N"]);
  });

  it("sends ordinary rows delimited and a batch holding a separator, U+0000 or \\N as JSON", () => {
    const ctx = context();
    expect(encodeFindings([finding(), finding({ message: "tab\tand 'quotes' and é" })], ctx).format).toBe("delimited");
    for (const text of ["new\nline", "del\u007f", "nul\u0000", "\\N"]) {
      expect(encodeFindings([finding(), finding({ message: text })], ctx).format).toBe("json");
      for (const field of ["path", "container", "name", "namespace", "kind"] as const) {
        const f = field === "path" || field === "container" ? finding({ [field]: text }) : finding({ resource: { [field]: text } });
        expect(encodeFindings([finding(), f], ctx).format, field).toBe("json");
      }
    }
  });
});

describe("batches", () => {
  it("keep the engine's order, carry the snapshot's range, and link only stored exceptions", async () => {
    const findings = Array.from({ length: 25 }, (_, i) =>
      finding({
        severity: (["critical", "high", "medium", "low"] as const)[i % 4],
        status: i % 5 === 0 ? "excepted" : i % 7 === 0 ? "unknown" : "fail",
        exception: i % 5 === 0 ? { source: "rule", id: i % 10 === 0 ? "exc-stored" : "exc-from-elsewhere", reason: "accepted risk" } : undefined,
        layer: ((i % 6) + 1) as Finding["layer"],
        // One batch falls back to JSON: order and flags must not depend on the encoding.
        message: i === 12 ? "multi\nline" : `finding ${i}`,
      }),
    );
    const ctx = context({ firstSeq: 7, endSeq: null, exceptionIds: new Set(["exc-stored"]) });
    const result = await insert(findings, ctx, 10, via);
    const rows = await stored(ctx.snapshotId);
    expect(result).toEqual({ inserted: 25 });
    expect(rows.map((r) => r.fingerprint)).toEqual(findings.map((f) => f.fingerprint));
    rows.forEach((row, i) => {
      const f = findings[i]!;
      expect(row).toMatchObject({
        orgId: scope.orgId,
        clusterId: "cluster-under-test",
        checkId: f.checkId,
        layer: f.layer,
        severity: f.severity.toUpperCase(),
        status: f.status.toUpperCase(),
        apiVersion: "apps/v1",
        kind: "Deployment",
        firstSeq: 7,
        endSeq: null,
        contentHash: contentHashOf(f, ctx),
        exceptionId: i % 10 === 0 ? "exc-stored" : null,
      });
    });
  });

  it("keep the engine's order with many batches queued one after another", async () => {
    const findings = Array.from({ length: 2000 }, (_, i) => finding({ message: i % 97 === 0 ? `line\nbreak ${i}` : `finding ${i}` }));
    const ctx = context();
    await insert(findings, ctx, 37, via);
    expect((await stored(ctx.snapshotId)).map((r) => r.fingerprint)).toEqual(findings.map((f) => f.fingerprint));
  });


  it("fail the whole write when one batch fails, leaving no row", async () => {
    const findings = Array.from({ length: 9 }, (_, i) => finding({ severity: (i === 5 ? "bogus" : "low") as Severity }));
    const ctx = context();
    await expect(insert(findings, ctx, 3, via)).rejects.toThrow();
    expect(await scope.db.finding.count({ where: { snapshotId: ctx.snapshotId } })).toBe(0);
  });


});
});

describe("pacing", () => {
  it("sends a small batch while the database is idle and waits for a full one while it is busy", async () => {
    // A recording runner, not the database: what is asserted is when statements are made.
    const sent: number[] = [];
    const releases: (() => void)[] = [];
    const run: RunStatement = (_sql, params) => {
      sent.push(String(params[5]).split("\n").length);
      return new Promise<number>((resolve) => releases.push(() => resolve(1)));
    };
    const inserter = new FindingInserter(run, context(), { batchSize: 5_000 });
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    inserter.add(Array.from({ length: 999 }, () => finding()));
    await tick();
    expect(sent).toEqual([]);
    inserter.add([finding(), finding()]);
    await tick();
    expect(sent).toEqual([1_001]);
    // Busy: findings wait for a full batch.
    inserter.add(Array.from({ length: 3_000 }, () => finding()));
    await tick();
    expect(sent).toEqual([1_001]);
    releases.shift()!();
    await tick();
    // Idle again: the next handover goes out at once.
    inserter.add([finding()]);
    await tick();
    expect(sent).toEqual([1_001, 3_001]);
    inserter.add(Array.from({ length: 5_000 }, () => finding()));
    const finishing = inserter.finish();
    await tick();
    expect(sent).toEqual([1_001, 3_001, 5_000]);
    while (releases.length > 0) {
      releases.shift()!();
      await tick();
    }
    expect(await finishing).toEqual({ inserted: 9_002 });
  });
});
