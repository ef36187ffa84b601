-- The stage a running job is in (e.g. 'dumping', 'applying', 'committing'), written by its worker
-- when the stage changes, and when the byte count of progress_bytes began (each stage that reads a
-- backup counts from zero), so the rate is that stage's own.
ALTER TABLE backup_job ADD COLUMN progress_stage text;
ALTER TABLE backup_job ADD COLUMN progress_since timestamptz;
