/**
 * Key rotation of stored backups: the data key of an encrypted backup is re-wrapped under the
 * keyring's primary key and the object rewritten as new header plus the unchanged data, with its
 * manifest updated to match. Nothing is decrypted or re-compressed.
 */
@NullMarked
package io.kanbu.backup.core.rekey;

import org.jspecify.annotations.NullMarked;
