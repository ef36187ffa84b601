-- Encryption key id, manifest location and verification state of backups.

-- The keyring id of the key that wrapped the backup's data key; null for unencrypted backups.
ALTER TABLE backup ADD COLUMN key_id varchar(100);
-- Object key of the manifest beside the backup object; null for backups made before manifests.
ALTER TABLE backup ADD COLUMN manifest_key varchar(450);
-- When a VERIFY job last found the backup intact; cleared when a later verification fails.
ALTER TABLE backup ADD COLUMN verified_at timestamptz;
-- Why the last verification failed (names the failed check); null after a success.
ALTER TABLE backup ADD COLUMN verify_error text;
-- When the last verification (success or failure) finished.
ALTER TABLE backup ADD COLUMN verify_checked_at timestamptz;

ALTER TABLE backup ADD CONSTRAINT encrypted_backup_has_key_id CHECK (NOT encrypted OR key_id IS NOT NULL);
ALTER TABLE backup ADD CONSTRAINT verified_or_failed CHECK (verified_at IS NULL OR verify_error IS NULL);

CREATE INDEX ix_backup_unverified ON backup (created_at) WHERE verified_at IS NULL AND status = 'AVAILABLE';
