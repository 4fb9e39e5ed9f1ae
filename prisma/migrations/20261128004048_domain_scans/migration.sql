-- Public domain checks: not tenant data, so no row-level security. The application role gets
-- SELECT/INSERT/UPDATE/DELETE through the default privileges set in the row_level_security migration.

-- CreateEnum
CREATE TYPE "DomainScanStatus" AS ENUM ('running', 'finished', 'failed');

-- CreateTable
CREATE TABLE "DomainScan" (
    "id" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "status" "DomainScanStatus" NOT NULL DEFAULT 'running',
    "progress" JSONB NOT NULL DEFAULT '[]',
    "report" JSONB,
    "algorithmVersion" INTEGER,
    "grade" TEXT,
    "score" INTEGER,
    "failureCode" TEXT,
    "requesterHash" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "DomainScan_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DomainScan_domain_startedAt_idx" ON "DomainScan"("domain", "startedAt");

-- CreateIndex
CREATE INDEX "DomainScan_startedAt_idx" ON "DomainScan"("startedAt");
