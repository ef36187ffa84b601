/**
 * The Spring AMQP side of the contracts, shared by every app so that they declare the same topology
 * and publish the same way: with publisher confirms, {@code mandatory}, and the message properties
 * other services rely on.
 */
@NullMarked
package io.kanbu.backup.model.amqp;

import org.jspecify.annotations.NullMarked;
