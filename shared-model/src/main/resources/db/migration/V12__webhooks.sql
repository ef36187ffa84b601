-- Webhooks (issue 7): subscriber endpoints, one delivery per endpoint and event, every attempt.

CREATE TABLE webhook_endpoint (
    id                     uuid           PRIMARY KEY,
    url                    varchar(2000)  NOT NULL,
    description            varchar(500),
    -- Comma-separated event type patterns: exact types, 'job.*' (a prefix), or '*' (every event).
    event_filter           varchar(1000)  NOT NULL,
    format                 varchar(16)    NOT NULL CHECK (format IN ('standard', 'slack', 'discord', 'kanbu-legacy')),
    -- whsec_<base64>; for the built-in endpoint of BACKUP_WEBHOOK_SECRET, the operator's string (or null).
    secret                 varchar(500),
    -- After a rotation the old secret signs too until previous_secret_until.
    previous_secret        varchar(500),
    previous_secret_until  timestamptz,
    enabled                boolean        NOT NULL,
    disabled_reason        varchar(1000),
    disabled_at            timestamptz,
    -- Deliveries that failed for good in a row; reset by a delivered one.
    consecutive_failures   integer        NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
    -- 'api' or 'environment' (the one endpoint of BACKUP_WEBHOOK_URL, kept in step by the workers).
    managed_by             varchar(16)    NOT NULL CHECK (managed_by IN ('api', 'environment')),
    created_at             timestamptz    NOT NULL,
    updated_at             timestamptz    NOT NULL,
    CONSTRAINT disabled_endpoint_has_reason CHECK (enabled OR disabled_reason IS NOT NULL),
    CONSTRAINT previous_secret_has_end CHECK (previous_secret IS NULL OR previous_secret_until IS NOT NULL)
);

-- One delivery per endpoint and event; its id is the stable webhook-id of every attempt.
CREATE TABLE webhook_delivery (
    id                uuid          PRIMARY KEY,
    endpoint_id       uuid          NOT NULL REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
    event_id          uuid          NOT NULL,
    event_type        varchar(64)   NOT NULL,
    -- The body exactly as sent (format-specific), so every retry and replay sends the same bytes.
    payload           text          NOT NULL,
    status            varchar(16)   NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    -- Attempts ever made; a queued message names the attempt it stands for (attempts + 1).
    attempts          integer       NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- attempts at the start of the current round (0; a replay starts a new round).
    round_start       integer       NOT NULL DEFAULT 0 CHECK (round_start >= 0 AND round_start <= attempts),
    first_attempt_at  timestamptz,
    last_attempt_at   timestamptz,
    -- PENDING: when the next attempt is due (during an attempt: when it counts as lost).
    next_attempt_at   timestamptz,
    test              boolean       NOT NULL DEFAULT false,
    created_at        timestamptz   NOT NULL,
    CONSTRAINT one_delivery_per_endpoint_and_event UNIQUE (endpoint_id, event_id),
    CONSTRAINT pending_delivery_has_due_time CHECK (status <> 'PENDING' OR next_attempt_at IS NOT NULL)
);

CREATE INDEX ix_webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX ix_webhook_delivery_endpoint ON webhook_delivery (endpoint_id, created_at DESC);

CREATE TABLE webhook_attempt (
    id                 bigserial      PRIMARY KEY,
    delivery_id        uuid           NOT NULL REFERENCES webhook_delivery (id) ON DELETE CASCADE,
    attempt            integer        NOT NULL,
    attempted_at       timestamptz    NOT NULL,
    -- null when no response came (refused address, connection error, timeout).
    http_status        integer,
    latency_ms         bigint         NOT NULL,
    -- The first 1 KB of the response body.
    response_excerpt   varchar(1024),
    error              varchar(2000),
    CONSTRAINT one_row_per_attempt UNIQUE (delivery_id, attempt)
);

-- The event outbox carries webhook.endpoint_disabled, which names an endpoint and no job.
ALTER TABLE job_event ALTER COLUMN job_id DROP NOT NULL;
ALTER TABLE job_event ADD COLUMN webhook_endpoint_id uuid;
-- Every event names what it is about. Schedule events (schedule_id) may be there too: keep
-- their column in the rule when it exists.
DO $$
BEGIN
    ALTER TABLE job_event DROP CONSTRAINT IF EXISTS event_names_job_or_schedule;
    IF EXISTS (SELECT 1 FROM information_schema.columns
                WHERE table_name = 'job_event' AND column_name = 'schedule_id') THEN
        EXECUTE 'ALTER TABLE job_event ADD CONSTRAINT event_names_its_subject CHECK '
             || '(job_id IS NOT NULL OR schedule_id IS NOT NULL OR webhook_endpoint_id IS NOT NULL)';
    ELSE
        ALTER TABLE job_event ADD CONSTRAINT event_names_its_subject
            CHECK (job_id IS NOT NULL OR webhook_endpoint_id IS NOT NULL);
    END IF;
END $$;
