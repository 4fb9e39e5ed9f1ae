-- DropIndex
DROP INDEX "Finding_snapshotId_namespace_kind_name_idx";

-- DropIndex
DROP INDEX "Finding_snapshotId_fingerprint_idx";
