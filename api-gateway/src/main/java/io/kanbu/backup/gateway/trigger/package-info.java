/**
 * The external trigger: {@code POST /api/backup/trigger} creates a job and publishes its command.
 */
@NullMarked
package io.kanbu.backup.gateway.trigger;

import org.jspecify.annotations.NullMarked;
