-- DropForeignKey
ALTER TABLE "Finding" DROP CONSTRAINT "Finding_snapshotId_fkey";

-- Hand-written: the cascade the foreign key did, as a trigger (cluster and organization deletes
-- cascade to their snapshots, and from there to the findings). SECURITY DEFINER, so it works the
-- same whoever deletes the snapshot; it only removes findings of the snapshot being deleted.
CREATE FUNCTION ramparts_delete_snapshot_findings() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  DELETE FROM "Finding" WHERE "snapshotId" = OLD.id;
  RETURN OLD;
END
$$;
REVOKE ALL ON FUNCTION ramparts_delete_snapshot_findings() FROM PUBLIC;

CREATE TRIGGER "Snapshot_delete_findings" AFTER DELETE ON "Snapshot"
  FOR EACH ROW EXECUTE FUNCTION ramparts_delete_snapshot_findings();
