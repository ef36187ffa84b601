/**
 * Retention: the policy of each target and kind, a preview of what it keeps and deletes (with the
 * reason for each backup), pins that no policy overrides, and {@code PRUNE} jobs that apply it.
 */
@NullMarked
package io.kanbu.backup.gateway.retention;

import org.jspecify.annotations.NullMarked;
