/** The status report: storage, PostgreSQL modes, scheduler, encryption and backup counts. */
@NullMarked
package io.kanbu.backup.gateway.status;

import org.jspecify.annotations.NullMarked;
