/**
 * Backup encryption: envelope encryption with a fresh data key per backup, streamed with Tink
 * {@code StreamingAead} (AES-256-GCM-HKDF, 1 MiB segments), the data key wrapped by a
 * key-encryption key from the operator's {@link io.kanbu.backup.core.crypto.Keyring}; key rotation
 * that re-wraps headers only; and a streaming decryptor for files written by the original Kanbu.
 * The byte format is specified in {@code docs/backup-format.md}.
 */
@NullMarked
package io.kanbu.backup.core.crypto;

import org.jspecify.annotations.NullMarked;
