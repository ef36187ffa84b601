/** The storage contract that every backend implements. */
@NullMarked
package io.kanbu.backup.core.storage;

import org.jspecify.annotations.NullMarked;
