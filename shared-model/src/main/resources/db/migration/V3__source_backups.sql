-- Source backups (issue 5): warnings on jobs, recovery points, the PostgreSQL mode chosen, and what
-- a source backup holds.

-- Problems that did not stop a job (a file that changed while read...), one per line; the job is
-- SUCCEEDED "with warnings".
ALTER TABLE backup_job ADD COLUMN warnings text;
-- Jobs triggered together (e.g. {"type":"all"}: a database and a source backup) share this id and
-- form one recovery point.
ALTER TABLE backup_job ADD COLUMN recovery_point_id uuid;
-- How a database job reached PostgreSQL (direct, docker) and why that mode was chosen.
ALTER TABLE backup_job ADD COLUMN mode varchar(16) CHECK (mode IS NULL OR mode IN ('direct', 'docker'));
ALTER TABLE backup_job ADD COLUMN mode_reason text;

CREATE INDEX ix_backup_job_recovery_point ON backup_job (recovery_point_id) WHERE recovery_point_id IS NOT NULL;

-- What a source backup holds; null for database backups.
ALTER TABLE backup ADD COLUMN file_count bigint CHECK (file_count IS NULL OR file_count >= 0);
ALTER TABLE backup ADD COLUMN source_bytes bigint CHECK (source_bytes IS NULL OR source_bytes >= 0);
-- The exclusion rules in force, one per line, in order.
ALTER TABLE backup ADD COLUMN excluded_patterns text;
ALTER TABLE backup ADD COLUMN git_commit varchar(64) CHECK (git_commit IS NULL OR git_commit ~ '^[0-9a-f]{40}([0-9a-f]{24})?$');
ALTER TABLE backup ADD COLUMN git_dirty boolean;
