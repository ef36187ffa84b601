/** Read API for jobs. */
@NullMarked
package io.kanbu.backup.gateway.jobs;

import org.jspecify.annotations.NullMarked;
