/**
 * Database restore: pre-flight checks, the streaming apply (stored bytes → decrypt → gunzip →
 * {@code psql -X -1 -v ON_ERROR_STOP=1}) and the in-transaction row-count check. Independent of the
 * catalog, so the worker and an offline CLI share it.
 */
@NullMarked
package io.kanbu.backup.core.restore;

import org.jspecify.annotations.NullMarked;
