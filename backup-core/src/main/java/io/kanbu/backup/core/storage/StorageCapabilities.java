package io.kanbu.backup.core.storage;

/**
 * What a backend can promise, so callers decide by data rather than {@code instanceof}.
 *
 * @param atomicPut a put is visible completely or not at all
 * @param durablePut a put that returned survives a crash of this machine (fsync)
 * @param consistentList {@link StorageBackend#list} sees every put that returned
 */
public record StorageCapabilities(boolean atomicPut, boolean durablePut, boolean consistentList) {}
