/** Copies of backups on several storages: queue REPLICATE jobs. */
@NullMarked
package io.kanbu.backup.gateway.replication;

import org.jspecify.annotations.NullMarked;
