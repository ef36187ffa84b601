/**
 * Webhook delivery: the fan-out of every event to the endpoints that subscribe to it, signed
 * attempts to the address the SSRF guard checked, retries through RabbitMQ delay queues, and the
 * sweep that sends again what the broker lost.
 */
@NullMarked
package io.kanbu.backup.worker.webhook;

import org.jspecify.annotations.NullMarked;
