/** Read API for backups and their downloads. */
@NullMarked
package io.kanbu.backup.gateway.backups;

import org.jspecify.annotations.NullMarked;
