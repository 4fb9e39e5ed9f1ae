/**
 * Adds a member with a given role straight in the test database (there is no invitation flow in
 * the browser yet). Needs the PostgreSQL database the global setup created (E2E_DATABASE_URL).
 */
import crypto from "node:crypto";
import pg from "pg";

export function membershipsAvailable(): boolean {
  return Boolean(process.env.E2E_DATABASE_URL);
}

export async function addMembership(email: string, slug: string, role: "ADMIN" | "MEMBER" | "VIEWER"): Promise<void> {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error("addMembership needs the PostgreSQL test database (run with TEST_DATABASE_URL)");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query(
      `INSERT INTO "Membership" (id, "orgId", "userId", role, "createdAt", "updatedAt")
       SELECT $1, o.id, u.id, $2::"Role", now(), now() FROM "Organization" o, "User" u WHERE o.slug = $3 AND u.email = $4`,
      [`e2e_${crypto.randomBytes(8).toString("hex")}`, role, slug, email],
    );
    if (result.rowCount !== 1) throw new Error(`No user ${email} or organization ${slug} to join`);
  } finally {
    await client.end();
  }
}
