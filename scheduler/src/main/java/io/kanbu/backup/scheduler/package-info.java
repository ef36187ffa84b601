/**
 * The scheduler app: starts jobs from cron schedules, reaps jobs whose worker died, and relays the
 * command and event outboxes.
 */
@NullMarked
package io.kanbu.backup.scheduler;

import org.jspecify.annotations.NullMarked;
