-- Multi-storage replication (3-2-1): one row per copy of a backup on one storage. The backup row
-- keeps where the backup was first written (its primary); the copies say where it is now.
CREATE TABLE backup_copy (
    id               uuid         PRIMARY KEY,
    backup_id        uuid         NOT NULL REFERENCES backup (id) ON DELETE CASCADE,
    storage          varchar(32)  NOT NULL,
    status           varchar(16)  NOT NULL CHECK (status IN ('PENDING', 'AVAILABLE', 'FAILED', 'MISSING', 'CORRUPT', 'DELETED')),
    object_key       varchar(400) NOT NULL,
    manifest_key     varchar(450),
    -- what the copy holds, measured when it was written or last verified
    stored_size      bigint       CHECK (stored_size >= 0),
    sha256_stored    varchar(64)  CHECK (sha256_stored ~ '^[0-9a-f]{64}$'),
    created_at       timestamptz  NOT NULL,
    updated_at       timestamptz  NOT NULL,
    verified_at      timestamptz,
    last_error       text,
    -- failed copies are tried again by a later REPLICATE, with a growing pause between attempts
    attempts         integer      NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz,
    UNIQUE (backup_id, storage),
    CONSTRAINT available_copy_has_digest CHECK (status <> 'AVAILABLE' OR (stored_size IS NOT NULL AND sha256_stored IS NOT NULL))
);

CREATE INDEX ix_backup_copy_retry ON backup_copy (next_attempt_at) WHERE status IN ('FAILED', 'MISSING', 'CORRUPT');
CREATE INDEX ix_backup_copy_storage ON backup_copy (storage, status);

-- every backup made before has one copy: the one in its storage
INSERT INTO backup_copy (id, backup_id, storage, status, object_key, manifest_key, stored_size, sha256_stored,
                         created_at, updated_at, verified_at)
SELECT md5(b.id::text || ':' || b.storage)::uuid, b.id, b.storage, b.status, b.object_key, b.manifest_key,
       b.stored_size, b.sha256_stored, b.created_at, b.created_at, b.verified_at
FROM backup b;
