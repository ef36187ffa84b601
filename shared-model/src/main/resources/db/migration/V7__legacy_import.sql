-- Files of the original Kanbu imported by a RESCAN. Their digests and sizes were measured when
-- they were imported (a full read: decrypted, gunzipped to the end), not recorded when they were
-- made, so the verification stats count them as "no checksum".
ALTER TABLE backup ADD COLUMN legacy boolean NOT NULL DEFAULT false;
ALTER TABLE backup ADD CONSTRAINT legacy_rows_are_adopted CHECK (NOT legacy OR adopted_at IS NOT NULL);
