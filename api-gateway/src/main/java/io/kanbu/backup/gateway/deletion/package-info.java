/**
 * Deleting one backup on purpose: the refusals (deleted, pinned, in use), what a delete would lose,
 * and the {@code DELETE_BACKUP} job it queues.
 */
@NullMarked
package io.kanbu.backup.gateway.deletion;

import org.jspecify.annotations.NullMarked;
