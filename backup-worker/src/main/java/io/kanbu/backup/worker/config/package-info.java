/** Typed configuration of the worker and the wiring of its beans. */
@NullMarked
package io.kanbu.backup.worker.config;

import org.jspecify.annotations.NullMarked;
