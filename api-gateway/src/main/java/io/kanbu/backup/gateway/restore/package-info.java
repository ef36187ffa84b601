/** Restore requests: typed confirmation, then a queued {@code RESTORE_DATABASE} job. */
@NullMarked
package io.kanbu.backup.gateway.restore;

import org.jspecify.annotations.NullMarked;
