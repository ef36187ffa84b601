package io.kanbu.backup.worker.config;

import io.kanbu.backup.core.pipeline.Compression;
import io.kanbu.backup.core.pipeline.CompressionFormat;
import org.jspecify.annotations.Nullable;

/**
 * Turns the compression settings ({@code BACKUP_COMPRESSION}, {@code BACKUP_COMPRESSION_LEVEL},
 * {@code BACKUP_COMPRESSION_THREADS}, or a target's {@code KANBU_TARGETS_<NAME>_COMPRESSION…}) into
 * a {@link Compression}, refusing bad values with a message that names the variable. What is not
 * set is inherited: a level only from the same format (a target that switches to zstd does not get
 * the worker's gzip level), otherwise the format's default.
 */
public final class CompressionSettings {

  /** The most threads one backup may compress on. */
  static final int MAX_THREADS = 64;

  private CompressionSettings() {}

  /** The names of the three variables, for messages. */
  public record Names(String format, String level, String threads) {}

  /** What the worker uses when nothing is set: gzip level 6 on every core. */
  public static Compression builtIn() {
    return Compression.gzip(CompressionFormat.GZIP.defaultLevel());
  }

  /**
   * @param format a format name, or null/blank to inherit
   * @param level a level, or null to inherit (see the class comment)
   * @param threads threads, 0 for one per core, or null to inherit
   * @param inherited what applies where nothing is set
   * @throws IllegalArgumentException naming the variable that is wrong and what to set
   */
  public static Compression resolve(
      Names names,
      @Nullable String format,
      @Nullable Integer level,
      @Nullable Integer threads,
      Compression inherited) {
    CompressionFormat chosen = inherited.format();
    if (format != null && !format.isBlank()) {
      try {
        chosen = CompressionFormat.of(format);
      } catch (IllegalArgumentException e) {
        // the format's own message says the same without the variable: not kept as the cause
        throw new IllegalArgumentException(
            names.format() + " is '" + format + "'; set it to gzip, zstd or none");
      }
    }
    int chosenLevel;
    if (level != null) {
      if (!chosen.accepts(level)) {
        throw new IllegalArgumentException(
            chosen == CompressionFormat.NONE
                ? names.level() + " is " + level + ", but compression 'none' has no level; unset it"
                : names.level()
                    + " is "
                    + level
                    + "; "
                    + chosen.id()
                    + " levels are "
                    + chosen.levels());
      }
      chosenLevel = level;
    } else {
      chosenLevel = chosen == inherited.format() ? inherited.level() : chosen.defaultLevel();
    }
    int chosenThreads = inherited.threads();
    if (threads != null) {
      if (threads < 0 || threads > MAX_THREADS) {
        throw new IllegalArgumentException(
            names.threads()
                + " is "
                + threads
                + "; set it to a number from 1 to "
                + MAX_THREADS
                + ", or 0 for one per core");
      }
      chosenThreads = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
    return new Compression(chosen, chosenLevel, chosenThreads);
  }
}
