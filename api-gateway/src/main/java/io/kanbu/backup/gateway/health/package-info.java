/** Health of the gateway beyond what Spring Boot checks: its storage. */
@NullMarked
package io.kanbu.backup.gateway.health;

import org.jspecify.annotations.NullMarked;
