/**
 * Cron schedules over HTTP ({@code /api/v1/schedules}): list, read, create, change, delete, pause,
 * resume, run now, and the firings of a schedule.
 */
@NullMarked
package io.kanbu.backup.gateway.schedules;

import org.jspecify.annotations.NullMarked;
