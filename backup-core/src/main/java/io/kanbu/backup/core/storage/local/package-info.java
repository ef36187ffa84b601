/** Local filesystem storage: temp file, fsync, atomic rename. */
@NullMarked
package io.kanbu.backup.core.storage.local;

import org.jspecify.annotations.NullMarked;
