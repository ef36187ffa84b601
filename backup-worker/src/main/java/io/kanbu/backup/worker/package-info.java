/**
 * The backup worker: takes job commands from RabbitMQ, claims them in the catalog, runs
 * backup-core.
 */
@NullMarked
package io.kanbu.backup.worker;

import org.jspecify.annotations.NullMarked;
