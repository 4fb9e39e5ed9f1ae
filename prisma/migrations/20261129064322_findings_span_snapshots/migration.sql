-- DropIndex
DROP INDEX "Finding_snapshotId_severity_id_idx";

-- DropIndex
DROP INDEX "Finding_snapshotId_checkId_idx";

-- AlterTable
ALTER TABLE "Snapshot" ADD COLUMN     "seq" INTEGER;

-- AlterTable
ALTER TABLE "Finding" DROP COLUMN "isNew",
ADD COLUMN     "contentHash" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "endSeq" INTEGER,
ADD COLUMN     "firstSeq" INTEGER NOT NULL DEFAULT 0;

-- Hand-written: existing rows. Each cluster's latest snapshot starts its chain (seq 1, its rows
-- open); every other snapshot's rows stay its own (detached: firstSeq = endSeq = 0).
UPDATE "Snapshot" s SET seq = 1 FROM "Cluster" c WHERE c."latestSnapshotId" = s.id;
UPDATE "Finding" f SET "firstSeq" = 1 FROM "Cluster" c WHERE c."latestSnapshotId" = f."snapshotId";
UPDATE "Finding" SET "endSeq" = 0 WHERE "firstSeq" = 0;
-- An existing row's contentHash is '' (matches nothing): the next evaluation sets it.
ALTER TABLE "Finding" ALTER COLUMN "firstSeq" DROP DEFAULT, ALTER COLUMN "contentHash" DROP DEFAULT;

-- Hand-written: deleting a snapshot deletes only the rows it alone holds (a detached snapshot's).
-- Rows of the chain span snapshots: retention deletes those no snapshot left reports
-- (lib/retention/apply-retention.ts), and deleting the cluster (or the organization, which
-- deletes its clusters) deletes all of them, by the trigger below.
CREATE OR REPLACE FUNCTION ramparts_delete_snapshot_findings() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF OLD.seq IS NULL THEN
    DELETE FROM "Finding" WHERE "clusterId" = OLD."clusterId" AND "snapshotId" = OLD.id AND "endSeq" = 0;
  END IF;
  RETURN OLD;
END
$$;

-- CreateIndex
CREATE UNIQUE INDEX "Snapshot_clusterId_seq_key" ON "Snapshot"("clusterId", "seq");

-- CreateIndex
CREATE INDEX "Finding_clusterId_severity_id_idx" ON "Finding"("clusterId", "severity", "id");

-- CreateIndex
CREATE INDEX "Finding_clusterId_checkId_idx" ON "Finding"("clusterId", "checkId");

CREATE FUNCTION ramparts_delete_cluster_findings() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  DELETE FROM "Finding" WHERE "clusterId" = OLD.id;
  RETURN OLD;
END
$$;
REVOKE ALL ON FUNCTION ramparts_delete_cluster_findings() FROM PUBLIC;

CREATE TRIGGER "Cluster_delete_findings" AFTER DELETE ON "Cluster"
  FOR EACH ROW EXECUTE FUNCTION ramparts_delete_cluster_findings();
