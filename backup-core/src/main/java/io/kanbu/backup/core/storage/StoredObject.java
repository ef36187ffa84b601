package io.kanbu.backup.core.storage;

import java.time.Instant;

/**
 * An object visible in a storage backend.
 *
 * @param key its key, see {@link ObjectKeys}
 * @param size its size in bytes
 * @param modified when it became visible (or was last modified)
 */
public record StoredObject(String key, long size, Instant modified) {}
