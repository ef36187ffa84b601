/**
 * The webhooks API: subscriber endpoints, their secrets, test deliveries, the delivery log and
 * replays. The worker delivers; the gateway only writes the catalog and queues attempts.
 */
@NullMarked
package io.kanbu.backup.gateway.webhooks;

import org.jspecify.annotations.NullMarked;
