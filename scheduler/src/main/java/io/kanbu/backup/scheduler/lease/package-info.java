/** Recovery of jobs whose worker stopped renewing its lease. */
@NullMarked
package io.kanbu.backup.scheduler.lease;

import org.jspecify.annotations.NullMarked;
