/**
 * Fleet-wide metrics read from the catalog and the broker: freshness of backups per target and
 * type, jobs by outcome, running and queued jobs, queue depth and dead-lettered commands.
 */
@NullMarked
package io.kanbu.backup.gateway.metrics;

import org.jspecify.annotations.NullMarked;
