/** Publishing job events from the catalog's event outbox. */
@NullMarked
package io.kanbu.backup.worker.event;

import org.jspecify.annotations.NullMarked;
