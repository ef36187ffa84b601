-- Progress of a running backup: the source bytes its pipeline has read so far, written by the
-- worker with each lease renewal (so every few seconds), for the dashboard and the jobs API.
ALTER TABLE backup_job ADD COLUMN progress_bytes bigint;
ALTER TABLE backup_job ADD COLUMN progress_at timestamptz;
