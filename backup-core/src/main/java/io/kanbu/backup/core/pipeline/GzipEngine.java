package io.kanbu.backup.core.pipeline;

import io.kanbu.backup.core.NativeLibrarySetting;
import org.jspecify.annotations.Nullable;

/**
 * What compresses gzip in this process. {@code BACKUP_NATIVE_GZIP}: {@code auto} (the default)
 * takes {@link #LIBDEFLATE} where its library loads and {@link #ZLIB} elsewhere, with a warning;
 * {@code off} always takes zlib. Both write gzip that every reader of backups reads; a backup
 * written with either is restored the same way.
 */
public enum GzipEngine {
  /**
   * libdeflate (native): about a third of zlib's CPU time at level 6, a gzip member per 1 MiB
   * block; output within half a percent of {@code gzip -6}'s (blank-padded rows, with {@link
   * MatchFinderTrials}) to 6 % smaller (text), depending on the data.
   */
  LIBDEFLATE,
  /** The JDK's zlib: one gzip member, within a fraction of a percent of {@code gzip -N}'s size. */
  ZLIB;

  /** The environment variable. */
  public static final String SETTING = "BACKUP_NATIVE_GZIP";

  /**
   * What {@link #select} chose, and why.
   *
   * @param engine what compresses gzip from now on
   * @param unexpected true when {@code auto} asked for libdeflate and it did not load
   * @param detail a sentence for the log
   */
  public record Selection(GzipEngine engine, boolean unexpected, String detail) {}

  /** Null until {@link #select} or the first {@link #selection()}: off never loads the library. */
  private static volatile @Nullable Selection selection;

  /**
   * Applies the setting to every gzip stream opened from now on.
   *
   * @param setting the value of {@code BACKUP_NATIVE_GZIP}, null or blank for {@code auto}
   * @throws IllegalArgumentException for a value other than {@code auto} or {@code off}
   */
  public static Selection select(@Nullable String setting) {
    Selection chosen =
        NativeLibrarySetting.wantsNative(SETTING, setting)
            ? auto()
            : new Selection(ZLIB, false, SETTING + "=off: gzip through the JDK's zlib");
    selection = chosen;
    return chosen;
  }

  /** What compresses gzip now ({@code auto} until {@link #select} says otherwise). */
  public static Selection selection() {
    Selection current = selection;
    if (current == null) {
      current = auto();
      selection = current;
    }
    return current;
  }

  private static Selection auto() {
    return Libdeflate.available()
        ? new Selection(
            LIBDEFLATE, false, "gzip through libdeflate " + Libdeflate.version() + " (native)")
        : new Selection(
            ZLIB,
            true,
            "gzip through the JDK's zlib, about 3x libdeflate's CPU time: "
                + Libdeflate.unavailableReason()
                + "; "
                + SETTING
                + "=off chooses zlib without this warning");
  }

  /** An encoder of this engine for {@code threads} threads at gzip {@code level}. */
  GzipBlockEncoder encoder(int level, int threads) {
    return switch (this) {
      case LIBDEFLATE -> new LibdeflateBlockEncoder(level, threads);
      case ZLIB -> new ZlibBlockEncoder(level, threads);
    };
  }
}
