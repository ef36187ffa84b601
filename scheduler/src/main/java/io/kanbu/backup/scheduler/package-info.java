/**
 * The scheduler app: reaps jobs whose worker died, relays the command and event outboxes, and
 * (later) starts jobs from cron schedules.
 */
@NullMarked
package io.kanbu.backup.scheduler;

import org.jspecify.annotations.NullMarked;
