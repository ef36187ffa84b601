package io.kanbu.backup.core;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The {@code auto}/{@code off} settings that choose whether a native library serves where it loads
 * ({@code BACKUP_NATIVE_GZIP}, {@code BACKUP_NATIVE_CRYPTO}).
 */
public final class NativeLibrarySetting {

  private NativeLibrarySetting() {}

  /**
   * True for {@code auto} (also null or blank), false for {@code off}; case and surrounding blanks
   * do not count.
   *
   * @param name the environment variable, for the message
   * @throws IllegalArgumentException naming the setting and its value for anything else
   */
  public static boolean wantsNative(String name, @Nullable String value) {
    String normalised =
        value == null || value.isBlank() ? "auto" : value.strip().toLowerCase(Locale.ROOT);
    return switch (normalised) {
      case "auto" -> true;
      case "off" -> false;
      default ->
          throw new IllegalArgumentException(
              name + " is '" + value + "'; set it to auto (the default) or off");
    };
  }
}
