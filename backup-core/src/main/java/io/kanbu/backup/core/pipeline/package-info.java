/** The streaming backup pipeline: transforming and observing stages in one fixed order. */
@NullMarked
package io.kanbu.backup.core.pipeline;

import org.jspecify.annotations.NullMarked;
