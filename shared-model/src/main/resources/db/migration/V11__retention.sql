-- Retention (issue 6): pinned backups, deletions kept as history, and a policy per target and kind.

-- An operator pinned the backup: retention never deletes it.
ALTER TABLE backup ADD COLUMN pinned boolean NOT NULL DEFAULT false;
ALTER TABLE backup ADD COLUMN pinned_at timestamptz;
ALTER TABLE backup ADD COLUMN pinned_by varchar(200);
ALTER TABLE backup ADD CONSTRAINT pinned_backup_has_time CHECK (NOT pinned OR pinned_at IS NOT NULL);

-- A backup deleted on purpose keeps its row (status DELETED): when, by which PRUNE job, and why
-- the policy let it go.
ALTER TABLE backup ADD COLUMN deleted_at timestamptz;
ALTER TABLE backup ADD COLUMN deleted_by_job_id uuid REFERENCES backup_job (id);
ALTER TABLE backup ADD COLUMN delete_reason text;

-- restic's forget rules for the backups of one target and kind: 0 = rule off, -1 = unlimited;
-- keep_within is an ISO-8601 duration (P7D); buckets are calendar units in time_zone.
CREATE TABLE retention_policy (
    target       varchar(63)  NOT NULL,
    kind         varchar(16)  NOT NULL CHECK (kind IN ('DATABASE', 'SOURCE')),
    keep_last    integer      NOT NULL DEFAULT 0 CHECK (keep_last >= -1),
    keep_hourly  integer      NOT NULL DEFAULT 0 CHECK (keep_hourly >= -1),
    keep_daily   integer      NOT NULL DEFAULT 0 CHECK (keep_daily >= -1),
    keep_weekly  integer      NOT NULL DEFAULT 0 CHECK (keep_weekly >= -1),
    keep_monthly integer      NOT NULL DEFAULT 0 CHECK (keep_monthly >= -1),
    keep_yearly  integer      NOT NULL DEFAULT 0 CHECK (keep_yearly >= -1),
    keep_within  varchar(32),
    time_zone    varchar(64)  NOT NULL DEFAULT 'UTC',
    updated_at   timestamptz  NOT NULL,
    updated_by   varchar(200),
    PRIMARY KEY (target, kind)
);
