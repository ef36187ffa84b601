/** Health of the worker beyond what Spring Boot checks: its storage. */
@NullMarked
package io.kanbu.backup.worker.health;

import org.jspecify.annotations.NullMarked;
