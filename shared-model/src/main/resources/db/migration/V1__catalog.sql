-- The catalog: jobs (also the command outbox), backups, and the event outbox.

CREATE TABLE backup_job (
    id               uuid         PRIMARY KEY,
    type             varchar(32)  NOT NULL CHECK (type IN ('BACKUP_DATABASE', 'BACKUP_SOURCE', 'RESTORE_DATABASE',
                                                          'RESTORE_SOURCE', 'VERIFY', 'PRUNE', 'REPLICATE', 'REKEY')),
    status           varchar(16)  NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    target           varchar(63)  NOT NULL,
    -- Only one running job may hold a lock key (see the unique index below); null = no lock.
    lock_key         varchar(80),
    trigger_source   varchar(16)  NOT NULL CHECK (trigger_source IN ('API', 'SCHEDULE', 'MESSAGE')),
    requested_by     varchar(200),
    idempotency_key  varchar(200) UNIQUE,
    created_at       timestamptz  NOT NULL,
    updated_at       timestamptz  NOT NULL,
    -- Outbox: null while the command has not been confirmed by the broker.
    published_at     timestamptz,
    started_at       timestamptz,
    finished_at      timestamptz,
    attempts         integer      NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts     integer      NOT NULL CHECK (max_attempts >= 1),
    lease_until      timestamptz,
    worker_id        varchar(200),
    error            text,
    backup_id        uuid,
    CONSTRAINT running_job_has_lease CHECK (status <> 'RUNNING' OR (lease_until IS NOT NULL AND worker_id IS NOT NULL)),
    CONSTRAINT final_job_has_end CHECK (status IN ('QUEUED', 'RUNNING') OR finished_at IS NOT NULL)
);

CREATE UNIQUE INDEX ux_backup_job_one_running_per_lock ON backup_job (lock_key) WHERE status = 'RUNNING';
CREATE INDEX ix_backup_job_unpublished ON backup_job (created_at) WHERE status = 'QUEUED' AND published_at IS NULL;
CREATE INDEX ix_backup_job_running_lease ON backup_job (lease_until) WHERE status = 'RUNNING';
CREATE INDEX ix_backup_job_created ON backup_job (created_at DESC);

CREATE TABLE backup (
    id                uuid         PRIMARY KEY,
    job_id            uuid         NOT NULL REFERENCES backup_job (id),
    target            varchar(63)  NOT NULL,
    kind              varchar(16)  NOT NULL CHECK (kind IN ('DATABASE', 'SOURCE')),
    status            varchar(16)  NOT NULL CHECK (status IN ('AVAILABLE', 'MISSING', 'DELETED')),
    storage           varchar(32)  NOT NULL,
    object_key        varchar(400) NOT NULL,
    file_name         varchar(200) NOT NULL,
    raw_size          bigint       NOT NULL CHECK (raw_size >= 0),
    compressed_size   bigint       NOT NULL CHECK (compressed_size >= 0),
    stored_size       bigint       NOT NULL CHECK (stored_size >= 0),
    sha256            varchar(64)  NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    sha256_stored     varchar(64)  NOT NULL CHECK (sha256_stored ~ '^[0-9a-f]{64}$'),
    compression       varchar(16)  NOT NULL,
    encrypted         boolean      NOT NULL DEFAULT false,
    pg_server_version varchar(64),
    pg_dump_version   varchar(64),
    created_at        timestamptz  NOT NULL,
    UNIQUE (storage, object_key)
);

CREATE INDEX ix_backup_target_created ON backup (target, kind, created_at DESC);

CREATE TABLE job_event (
    id            uuid         PRIMARY KEY,
    job_id        uuid         NOT NULL REFERENCES backup_job (id),
    event_type    varchar(64)  NOT NULL,
    payload       text         NOT NULL,
    created_at    timestamptz  NOT NULL,
    -- Outbox: null until the broker confirmed the event.
    published_at  timestamptz
);

CREATE INDEX ix_job_event_unpublished ON job_event (created_at) WHERE published_at IS NULL;
