/** Verification of backups: queue VERIFY jobs for one or all unverified backups, and the counts. */
@NullMarked
package io.kanbu.backup.gateway.verification;

import org.jspecify.annotations.NullMarked;
