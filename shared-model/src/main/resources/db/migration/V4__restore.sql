-- Database restores (issue 4): what a RESTORE_DATABASE job restores into, and the safety backup
-- that precedes it.

-- The database a RESTORE_DATABASE job overwrites or creates; null = the target's own database.
ALTER TABLE backup_job ADD COLUMN restore_database varchar(63);
-- Whether the restore may end other sessions on that database (pg_terminate_backend).
ALTER TABLE backup_job ADD COLUMN terminate_connections boolean NOT NULL DEFAULT false;
-- Why the requester waived the safety backup; null = a safety backup is taken when the database
-- holds data.
ALTER TABLE backup_job ADD COLUMN safety_backup_waiver text;
-- The job this one was started by: the restore that a safety backup (BACKUP_DATABASE) protects.
ALTER TABLE backup_job ADD COLUMN parent_job_id uuid REFERENCES backup_job (id);

ALTER TABLE backup_job ADD CONSTRAINT restore_fields_only_on_restores
    CHECK (type = 'RESTORE_DATABASE'
           OR (restore_database IS NULL AND NOT terminate_connections AND safety_backup_waiver IS NULL));

CREATE INDEX ix_backup_job_parent ON backup_job (parent_job_id) WHERE parent_job_id IS NOT NULL;

-- Restore drills: a VERIFY job with drill = true also restores the backup into a scratch database,
-- compares the row counts with the manifest and drops the scratch database.
ALTER TABLE backup_job ADD COLUMN drill boolean NOT NULL DEFAULT false;
ALTER TABLE backup_job ADD CONSTRAINT drill_only_on_verify CHECK (type = 'VERIFY' OR NOT drill);

-- The last drill of a backup: when it ended, whether it passed, how long the restore took (the
-- recovery time objective it shows), and why it failed (per-table differences).
ALTER TABLE backup ADD COLUMN last_drill_at timestamptz;
ALTER TABLE backup ADD COLUMN last_drill_passed boolean;
ALTER TABLE backup ADD COLUMN last_drill_seconds double precision CHECK (last_drill_seconds IS NULL OR last_drill_seconds >= 0);
ALTER TABLE backup ADD COLUMN last_drill_error text;
ALTER TABLE backup ADD CONSTRAINT drill_fields_together
    CHECK ((last_drill_at IS NULL) = (last_drill_passed IS NULL));
