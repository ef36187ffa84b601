-- Source restores (issue 5): where a RESTORE_SOURCE job extracts a source backup, and the operator's
-- confirmation when that directory is, lies inside or contains the target's live source tree.

-- The absolute directory to extract into; it must be empty or not yet exist when the job runs.
ALTER TABLE backup_job ADD COLUMN restore_directory text;
-- The target's name typed again to allow the live tree (the directory must still be empty); null =
-- not confirmed.
ALTER TABLE backup_job ADD COLUMN overwrite_live_tree varchar(63);

ALTER TABLE backup_job ADD CONSTRAINT source_restore_fields_only_on_source_restores
    CHECK (type = 'RESTORE_SOURCE' OR (restore_directory IS NULL AND overwrite_live_tree IS NULL));
ALTER TABLE backup_job ADD CONSTRAINT source_restore_names_backup_and_directory
    CHECK (type <> 'RESTORE_SOURCE' OR (backup_id IS NOT NULL AND restore_directory IS NOT NULL));
