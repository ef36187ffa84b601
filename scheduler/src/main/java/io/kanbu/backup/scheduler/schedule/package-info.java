/** Cron schedules: finding due schedules, firing them exactly once, and handling misfires. */
@NullMarked
package io.kanbu.backup.scheduler.schedule;

import org.jspecify.annotations.NullMarked;
