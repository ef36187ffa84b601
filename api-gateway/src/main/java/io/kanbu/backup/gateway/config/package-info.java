/** Wiring of the gateway: typed settings, catalog, messaging, storage and the OpenAPI document. */
@NullMarked
package io.kanbu.backup.gateway.config;

import org.jspecify.annotations.NullMarked;
