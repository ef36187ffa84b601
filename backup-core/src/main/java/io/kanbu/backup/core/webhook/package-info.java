/**
 * The parts of webhook delivery that need no catalog and no broker: Standard Webhooks signing and
 * secrets, the original Kanbu's signature, the retry schedule, and the SSRF guard that decides
 * which addresses a delivery may connect to.
 */
@NullMarked
package io.kanbu.backup.core.webhook;

import org.jspecify.annotations.NullMarked;
