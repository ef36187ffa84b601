/** Copies of stored backups from one storage to another (multi-storage replication). */
@NullMarked
package io.kanbu.backup.core.replicate;

import org.jspecify.annotations.NullMarked;
