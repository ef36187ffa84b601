/** Taking commands from the queue, claiming jobs, running them and recording their outcome. */
@NullMarked
package io.kanbu.backup.worker.job;

import org.jspecify.annotations.NullMarked;
