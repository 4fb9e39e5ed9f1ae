/**
 * A comparable description of the public schema (tables, columns, indexes, constraints, enums).
 * Two databases built differently (from the migrations, and from schema.prisma) must describe
 * the same catalog, or schema.prisma has a change that no migration carries.
 */
import type { SqlSession } from "../sql-session";

export async function readSchemaCatalog(db: SqlSession): Promise<string[]> {
  const columns = await db.query<{ line: string }>(`
    SELECT format('column %s.%s %s %s default=%s', table_name, column_name, udt_name, is_nullable, coalesce(column_default, '-')) AS line
    FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`);
  const indexes = await db.query<{ line: string }>(`
    SELECT format('index %s', indexdef) AS line FROM pg_indexes
    WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`);
  const constraints = await db.query<{ line: string }>(`
    SELECT format('constraint %s.%s %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) AS line
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
    WHERE n.nspname = 'public' AND c.conrelid <> 0 AND c.conrelid::regclass::text NOT IN ('_prisma_migrations', '"_prisma_migrations"')`);
  const enums = await db.query<{ line: string }>(`
    SELECT format('enum %s (%s)', t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)) AS line
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' GROUP BY t.typname`);
  return [...columns, ...indexes, ...constraints, ...enums].map((row) => row.line).sort();
}

export function diffCatalogs(expected: string[], actual: string[]): { missing: string[]; unexpected: string[] } {
  const a = new Set(actual);
  const e = new Set(expected);
  return { missing: expected.filter((line) => !a.has(line)), unexpected: actual.filter((line) => !e.has(line)) };
}
