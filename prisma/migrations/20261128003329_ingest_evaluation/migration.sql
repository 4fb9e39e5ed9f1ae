-- DropForeignKey
ALTER TABLE "Finding" DROP CONSTRAINT "Finding_orgId_fkey";

-- DropForeignKey
ALTER TABLE "Finding" DROP CONSTRAINT "Finding_clusterId_fkey";

-- DropIndex
DROP INDEX "Snapshot_clusterId_status_evaluatedAt_idx";

-- DropIndex
DROP INDEX "Finding_snapshotId_status_severity_idx";

-- DropIndex
DROP INDEX "Finding_orgId_checkId_idx";

-- AlterTable
ALTER TABLE "Snapshot" ADD COLUMN     "chartVersion" TEXT,
ADD COLUMN     "completionSha256" TEXT,
ADD COLUMN     "evaluationCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lastChunkAt" TIMESTAMP(3),
ADD COLUMN     "previousSnapshotId" UUID;

-- AlterTable
ALTER TABLE "SnapshotChunk" ADD COLUMN     "objectCount" INTEGER NOT NULL;

-- AlterTable
ALTER TABLE "DailyScore" ADD COLUMN     "collectedAt" TIMESTAMP(3) NOT NULL,
ADD COLUMN     "coverage" DOUBLE PRECISION NOT NULL,
ADD COLUMN     "snapshotId" UUID NOT NULL;

-- CreateIndex
CREATE INDEX "Snapshot_clusterId_status_collectedAt_idx" ON "Snapshot"("clusterId", "status", "collectedAt");

-- CreateIndex
CREATE INDEX "Snapshot_status_receivedAt_idx" ON "Snapshot"("status", "receivedAt");

-- CreateIndex
CREATE INDEX "Finding_snapshotId_severity_id_idx" ON "Finding"("snapshotId", "severity", "id");

-- CreateIndex
CREATE INDEX "Finding_snapshotId_fingerprint_idx" ON "Finding"("snapshotId", "fingerprint");

-- ---------- Hand-written: cross-tenant lookups for ingest and retention ----------

-- The agent token lookup also returns the stored hash, so ingest compares it in constant time
-- after the indexed lookup, and the cluster's registered identity, so a snapshot from another
-- cluster is refused before anything is stored.
DROP FUNCTION ramparts_find_agent_token(text);
CREATE FUNCTION ramparts_find_agent_token(p_token_hash text)
RETURNS TABLE (id text, org_id text, cluster_id text, token_hash text, revoked_at timestamp(3), last_used_at timestamp(3))
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT t.id, t."orgId", t."clusterId", t."tokenHash", t."revokedAt", t."lastUsedAt"
  FROM "AgentToken" t WHERE t."tokenHash" = p_token_hash
$$;
REVOKE ALL ON FUNCTION ramparts_find_agent_token(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ramparts_find_agent_token(text) TO ramparts_app;

-- The retention job acts for each organization in turn (inside its row-level security context);
-- this tells it which organizations hold something to expire, and nothing else.
CREATE FUNCTION ramparts_retention_org_ids(p_snapshot_cutoff timestamp(3), p_incomplete_cutoff timestamp(3), p_daily_cutoff date)
RETURNS TABLE (org_id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT s."orgId" FROM "Snapshot" s
  WHERE s."receivedAt" < p_snapshot_cutoff
    AND NOT EXISTS (SELECT 1 FROM "Cluster" c WHERE c."latestSnapshotId" = s.id)
  UNION
  SELECT s."orgId" FROM "Snapshot" s
  WHERE s.status = 'RECEIVING' AND coalesce(s."lastChunkAt", s."receivedAt") < p_incomplete_cutoff
  UNION
  SELECT d."orgId" FROM "DailyScore" d WHERE d.day < p_daily_cutoff
$$;
REVOKE ALL ON FUNCTION ramparts_retention_org_ids(timestamp(3), timestamp(3), date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ramparts_retention_org_ids(timestamp(3), timestamp(3), date) TO ramparts_app;
