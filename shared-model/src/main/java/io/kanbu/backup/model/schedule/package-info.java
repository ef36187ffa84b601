/**
 * Cron schedules: parsing and describing cron expressions in a schedule's time zone, the kinds of
 * job a schedule starts, and the firing of a due schedule that every scheduler replica (and the
 * gateway's run-now) shares.
 */
@NullMarked
package io.kanbu.backup.model.schedule;

import org.jspecify.annotations.NullMarked;
