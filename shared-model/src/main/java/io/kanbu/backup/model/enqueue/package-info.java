/**
 * Creating jobs: the one path by which the gateway (triggers, API requests, a schedule's run-now)
 * and the scheduler (due schedules) insert a job row and publish its command.
 */
@NullMarked
package io.kanbu.backup.model.enqueue;

import org.jspecify.annotations.NullMarked;
