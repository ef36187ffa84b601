-- Cron schedules (issue 6) and their firings. Each due firing is claimed by inserting its row: the
-- unique key (schedule_id, fire_time) lets exactly one scheduler replica create its job, whatever
-- the number of replicas, with no lock held in memory.

CREATE TABLE backup_schedule (
    id                     uuid          PRIMARY KEY,
    name                   varchar(100)  NOT NULL UNIQUE,
    -- What a firing starts: database, source or both (one recovery point) backups of the target,
    -- a VERIFY of its newest backups, a restore drill of its newest database backup, or a PRUNE.
    job_kind               varchar(16)   NOT NULL CHECK (job_kind IN ('DATABASE', 'SOURCE', 'ALL', 'VERIFY',
                                                                      'RESTORE_DRILL', 'PRUNE')),
    target                 varchar(63)   NOT NULL,
    -- As the operator wrote it: 5 fields (crontab), 6 fields (seconds first) or a macro (@daily...).
    cron_expression        varchar(200)  NOT NULL,
    -- An IANA zone id; the gateway stores BACKUP_CRON_TIMEZONE when the request names none.
    time_zone              varchar(64)   NOT NULL,
    -- false = paused: nothing fires, nothing is recorded as missed.
    enabled                boolean       NOT NULL,
    -- RUN_ONCE: firings missed while no scheduler ran are coalesced into one run if the newest is
    -- within the grace period; SKIP: they are only recorded as missed.
    misfire_policy         varchar(16)   NOT NULL CHECK (misfire_policy IN ('RUN_ONCE', 'SKIP')),
    -- null = the scheduler's KANBU_SCHEDULER_MISFIRE_GRACE.
    misfire_grace_seconds  bigint        CHECK (misfire_grace_seconds IS NULL OR misfire_grace_seconds >= 0),
    -- Reserved for retention (issue 6, second part): keepLast, keepDaily, ... as a JSON object.
    -- Nothing reads it yet.
    retention_policy       jsonb         CHECK (retention_policy IS NULL OR jsonb_typeof(retention_policy) = 'object'),
    -- The newest fire time a scheduler handled (ran, skipped or recorded as missed).
    last_fired_at          timestamptz,
    -- The next fire time to handle; null while paused.
    next_fire_at           timestamptz,
    created_by             varchar(200),
    created_at             timestamptz   NOT NULL,
    updated_at             timestamptz   NOT NULL,
    CONSTRAINT enabled_schedule_has_next_fire CHECK (NOT enabled OR next_fire_at IS NOT NULL)
);

CREATE INDEX ix_backup_schedule_due ON backup_schedule (next_fire_at) WHERE enabled;

CREATE TABLE schedule_firing (
    id             uuid          PRIMARY KEY,
    schedule_id    uuid          NOT NULL REFERENCES backup_schedule (id) ON DELETE CASCADE,
    -- The cron time this firing stands for (for a run-now: when it was asked for).
    fire_time      timestamptz   NOT NULL,
    -- CRON: a scheduler found it due; MANUAL: POST /api/v1/schedules/{id}/run.
    trigger        varchar(16)   NOT NULL CHECK (trigger IN ('CRON', 'MANUAL')),
    outcome        varchar(32)   NOT NULL CHECK (outcome IN ('JOB_CREATED', 'SKIPPED_PREVIOUS_ACTIVE',
                                                             'SKIPPED_NOTHING_TO_DO', 'COALESCED', 'MISSED')),
    -- Why, in one line: the job still running, the run a missed firing was coalesced into...
    detail         varchar(1000),
    -- The scheduler replica (or gateway) that claimed it.
    claimed_by     varchar(200)  NOT NULL,
    claimed_at     timestamptz   NOT NULL,
    CONSTRAINT one_firing_per_fire_time UNIQUE (schedule_id, fire_time)
);

CREATE INDEX ix_schedule_firing_newest ON schedule_firing (schedule_id, fire_time DESC);

-- The firing that created a job; null for jobs that no schedule started.
ALTER TABLE backup_job ADD COLUMN schedule_firing_id uuid REFERENCES schedule_firing (id) ON DELETE SET NULL;
CREATE INDEX ix_backup_job_schedule_firing_active ON backup_job (schedule_firing_id)
    WHERE schedule_firing_id IS NOT NULL AND status IN ('QUEUED', 'RUNNING');

-- The event outbox carries schedule events (schedule.missed) beside job events: those name a
-- schedule and may have no job.
ALTER TABLE job_event ALTER COLUMN job_id DROP NOT NULL;
ALTER TABLE job_event ADD COLUMN schedule_id uuid;
ALTER TABLE job_event ADD CONSTRAINT event_names_job_or_schedule CHECK (job_id IS NOT NULL OR schedule_id IS NOT NULL);
