-- RESCAN: the catalog can be rebuilt from storage alone.

ALTER TABLE backup_job DROP CONSTRAINT backup_job_type_check;
ALTER TABLE backup_job ADD CONSTRAINT backup_job_type_check
    CHECK (type IN ('BACKUP_DATABASE', 'BACKUP_SOURCE', 'RESTORE_DATABASE', 'RESTORE_SOURCE', 'VERIFY',
                    'PRUNE', 'REPLICATE', 'REKEY', 'RESCAN'));

-- Set when a RESCAN adopted the row from the manifest beside the object (the catalog had lost it);
-- job_id then names that RESCAN job, and the manifest keeps the id of the job that made the backup.
ALTER TABLE backup ADD COLUMN adopted_at timestamptz;

-- What a job that makes no backup did, in one line for the operator (e.g. a RESCAN's counts).
ALTER TABLE backup_job ADD COLUMN summary varchar(1000);
