-- Deleting one backup on purpose (issue 8): a DELETE_BACKUP job deletes every copy of one backup.
-- While it runs, and after it failed on a storage, the backup is DELETING: some copies may be gone,
-- so nothing reads it; deleting it again finishes the work and leaves it DELETED.

ALTER TABLE backup_job DROP CONSTRAINT backup_job_type_check;
ALTER TABLE backup_job ADD CONSTRAINT backup_job_type_check
    CHECK (type IN ('BACKUP_DATABASE', 'BACKUP_SOURCE', 'RESTORE_DATABASE', 'RESTORE_SOURCE', 'VERIFY',
                    'PRUNE', 'REPLICATE', 'REKEY', 'RESCAN', 'DELETE_BACKUP'));
ALTER TABLE backup_job ADD CONSTRAINT delete_backup_names_its_backup
    CHECK (type <> 'DELETE_BACKUP' OR backup_id IS NOT NULL);

ALTER TABLE backup DROP CONSTRAINT backup_status_check;
ALTER TABLE backup ADD CONSTRAINT backup_status_check
    CHECK (status IN ('AVAILABLE', 'MISSING', 'DELETING', 'DELETED'));
