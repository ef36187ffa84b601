/**
 * The AMQP side of the scheduler: topology, confirmed publishing, and the relays that publish what
 * the catalog's command and event outboxes still hold.
 */
@NullMarked
package io.kanbu.backup.scheduler.outbox;

import org.jspecify.annotations.NullMarked;
