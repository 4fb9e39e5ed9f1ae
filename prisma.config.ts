import { defineConfig } from "prisma/config";

// Prisma 7 no longer reads .env by itself, and the CLI is used here only to generate the client:
// migrations are applied by scripts/db-migrate.ts (see docs/operations.md).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/ramparts" },
});
