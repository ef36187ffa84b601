package io.kanbu.backup.core.storage;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Whether a storage is reachable and writable, found the way a backup finds it: a tiny object is
 * written under {@value #PREFIX}, read back with {@code stat} and deleted, through the backend's
 * own contract. The answer is kept for {@code maxAge}, so that health checks polled every few
 * seconds cost one write per {@code maxAge}, not one per poll. Thread-safe.
 */
public final class StorageProbe {

  /** Where probe objects are written; a probe left by a crash is harmless and small. */
  public static final String PREFIX = "kanbu-probe/";

  private static final byte[] CONTENT = "kanbu storage probe\n".getBytes(StandardCharsets.UTF_8);

  private final StorageBackend backend;
  private final Clock clock;
  private final Duration maxAge;
  private @Nullable Result last;

  /**
   * @param maxAge how long an answer is reused before the storage is probed again
   */
  public StorageProbe(StorageBackend backend, Clock clock, Duration maxAge) {
    this.backend = backend;
    this.clock = clock;
    this.maxAge = maxAge;
  }

  /**
   * The outcome of one probe.
   *
   * @param writable whether the object was written, seen and deleted
   * @param storage the backend's name
   * @param error why not, naming the storage; null when writable
   * @param checkedAt when the storage was probed
   */
  public record Result(
      boolean writable, String storage, @Nullable String error, Instant checkedAt) {

    /** What a health check shows: the storage, when it was probed and, if it failed, why. */
    public Map<String, Object> details() {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("storage", storage);
      details.put("checkedAt", checkedAt.toString());
      if (error != null) {
        details.put("error", error);
      }
      return details;
    }
  }

  /** The last answer if it is younger than {@code maxAge}, else a new probe's. */
  public synchronized Result check() {
    Instant now = clock.instant();
    if (last == null || !now.isBefore(last.checkedAt().plus(maxAge))) {
      last = probe(now);
    }
    return last;
  }

  private Result probe(Instant now) {
    String key = PREFIX + UUID.randomUUID();
    try {
      StoredObject written = backend.put(key, out -> out.write(CONTENT));
      try {
        if (written.size() != CONTENT.length || backend.stat(key).isEmpty()) {
          return new Result(
              false,
              backend.name(),
              "storage '" + backend.name() + "' did not keep probe object '" + key + "'",
              now);
        }
      } finally {
        backend.delete(key);
      }
      return new Result(true, backend.name(), null, now);
    } catch (RuntimeException e) {
      return new Result(
          false,
          backend.name(),
          "unable to write probe object '" + key + "': " + e.getMessage(),
          now);
    }
  }
}
