/** Key rotation of stored backups: queue REKEY jobs for one backup or every backup. */
@NullMarked
package io.kanbu.backup.gateway.rekey;

import org.jspecify.annotations.NullMarked;
