/**
 * Finding filters as they appear in URLs (?layer=2&severity=critical&status=fail&namespace=shop
 * &check=privileged-container&q=web&new=1&cursor=…&limit=50): one schema for the API routes and
 * the pages, so every filter and page lives in the URL.
 */
import { z } from "zod";
import { Prisma } from "@/lib/db/generated/prisma/client";

const upper = (v: unknown) => (typeof v === "string" ? v.trim().toUpperCase() : v);
const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const list = <T extends z.ZodTypeAny>(item: T) =>
  z.preprocess((v) => {
    if (v === undefined || v === null || v === "") return undefined;
    const parts = (Array.isArray(v) ? v : String(v).split(",")).map((s) => (typeof s === "string" ? s.trim() : s)).filter((s) => s !== "");
    return parts.length ? parts : undefined;
  }, z.array(item).max(20).optional());

export const SEVERITY_VALUES = ["CRITICAL", "HIGH", "MEDIUM", "LOW"] as const;
export const STATUS_VALUES = ["FAIL", "UNKNOWN", "EXCEPTED"] as const;

export const findingFiltersSchema = z.object({
  layer: list(z.coerce.number().int().min(1).max(6)),
  severity: list(z.preprocess(upper, z.enum(SEVERITY_VALUES))),
  status: list(z.preprocess(upper, z.enum(STATUS_VALUES))),
  namespace: z.preprocess(emptyToUndefined, z.string().max(253).optional()),
  check: z.preprocess(emptyToUndefined, z.string().max(100).optional()),
  kind: z.preprocess(emptyToUndefined, z.string().max(253).optional()),
  /** Free text: matched (case-insensitive, substring) against resource name, namespace, check id and message. */
  q: z.preprocess(emptyToUndefined, z.string().max(200).optional()),
  /** Only findings new since the previous snapshot. */
  new: z.preprocess((v) => (v === "1" || v === "true" ? true : v === "0" || v === "false" || v === "" ? undefined : v), z.boolean().optional()),
});
export type FindingFilters = z.infer<typeof findingFiltersSchema>;

export const pageSchema = z.object({
  cursor: z.preprocess(emptyToUndefined, z.string().max(200).optional()),
  limit: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(500).default(50)),
});
export type PageInput = z.input<typeof pageSchema>;

/** The position after the last row of a page: severity rank and id (the table's order). */
export function encodeCursor(severity: string, id: bigint | string): string {
  return Buffer.from(`${SEVERITY_VALUES.indexOf(severity as (typeof SEVERITY_VALUES)[number])}:${id}`).toString("base64url");
}

export function decodeCursor(cursor: string | undefined): { severity: (typeof SEVERITY_VALUES)[number]; id: bigint } | null {
  if (!cursor) return null;
  const match = /^([0-3]):(\d{1,19})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) return null;
  return { severity: SEVERITY_VALUES[Number(match[1])]!, id: BigInt(match[2]!) };
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** SQL conditions (on alias f) for the filters; the caller adds the snapshot(s) and says what "new" is there. */
export function filterConditions(filters: FindingFilters, isNew: Prisma.Sql): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  if (filters.layer) where.push(Prisma.sql`f.layer = ANY(${filters.layer}::int[])`);
  if (filters.severity) where.push(Prisma.sql`f.severity = ANY(${filters.severity}::text[]::"Severity"[])`);
  if (filters.status) where.push(Prisma.sql`f.status = ANY(${filters.status}::text[]::"FindingStatus"[])`);
  if (filters.namespace !== undefined) where.push(filters.namespace === "-" ? Prisma.sql`f.namespace IS NULL` : Prisma.sql`f.namespace = ${filters.namespace}`);
  if (filters.check) where.push(Prisma.sql`f."checkId" = ${filters.check}`);
  if (filters.kind) where.push(Prisma.sql`f.kind = ${filters.kind}`);
  if (filters.new) where.push(isNew);
  if (filters.q) {
    const p = likePattern(filters.q);
    where.push(Prisma.sql`(f.name ILIKE ${p} OR f.namespace ILIKE ${p} OR f."checkId" ILIKE ${p} OR f.message ILIKE ${p})`);
  }
  return where;
}
