@NullMarked
package io.kanbu.backup.model.messaging;

import org.jspecify.annotations.NullMarked;
