/**
 * Verification of stored backups: one streaming read of the object that checks the stored digest,
 * decrypts, checks the plaintext digest and decompresses to the end, plus the manifest's checks.
 */
@NullMarked
package io.kanbu.backup.core.verify;

import org.jspecify.annotations.NullMarked;
