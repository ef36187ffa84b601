package io.kanbu.backup.core.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * libdeflate's gzip compressor through the small JNI library that backup-core's build links against
 * it ({@code src/main/c/kanbu_libdeflate.c}, Maven profile {@code native-gzip}). At level 6 it
 * needs about a third of zlib's CPU time for a dump, with output 2 % larger (blank-padded rows; 0.4
 * % with {@link MatchFinderTrials}) to 6 % smaller (text) than {@code gzip -6}'s. It compresses
 * whole buffers only: each block becomes one gzip member.
 *
 * <p>The library is loaded once, from this jar, where the build had libdeflate's headers (Linux)
 * and {@code libdeflate.so.0} is installed; {@link #unavailableReason()} says why it did not load
 * anywhere else.
 */
final class Libdeflate {

  private static final String RESOURCE =
      "native/linux-" + System.getProperty("os.arch") + "/libkanbu_libdeflate.so";

  private static final @Nullable String UNAVAILABLE_REASON = load();

  private Libdeflate() {}

  /** True when the native library is loaded. */
  static boolean available() {
    return UNAVAILABLE_REASON == null;
  }

  /** Why the library is not loaded, or null when it is. */
  static @Nullable String unavailableReason() {
    return UNAVAILABLE_REASON;
  }

  private static @Nullable String load() {
    if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux")) {
      return "libdeflate is built for Linux only (this is " + System.getProperty("os.name") + ")";
    }
    try (InputStream library = Libdeflate.class.getResourceAsStream(RESOURCE)) {
      if (library == null) {
        return "this build has no libdeflate library for linux-"
            + System.getProperty("os.arch")
            + " (it is built where libdeflate's headers were installed: libdeflate-dev)";
      }
      // System.load needs a file; once loaded it stays mapped after the file is gone
      Path file = Files.createTempFile("kanbu-libdeflate-", ".so");
      try {
        Files.copy(library, file, StandardCopyOption.REPLACE_EXISTING);
        System.load(file.toAbsolutePath().toString());
      } finally {
        Files.deleteIfExists(file);
      }
      version(); // links the binding: a library of another build fails here, not in a backup
      return null;
    } catch (IOException | LinkageError | SecurityException e) {
      return "the libdeflate library did not load ("
          + e
          + "); it needs libdeflate's shared library (Debian and Ubuntu: libdeflate0)";
    }
  }

  /** libdeflate's version, e.g. {@code 1.14}. */
  static native String version();

  /** A compressor at {@code level} (1-12); 0 when out of memory. One thread at a time. */
  static native long allocCompressor(int level);

  static native void freeCompressor(long compressor);

  /** The most bytes a gzip member of {@code length} input bytes can take. */
  static native long gzipBound(long compressor, int length);

  /**
   * Compresses {@code input[0, inputLength)} into one gzip member at the start of {@code output}.
   *
   * @return its length; 0 when it did not fit in {@code outputCapacity} bytes; -1 when the JVM
   *     could not pin the arrays; -2 when a length is outside its array
   */
  static native int gzipCompress(
      long compressor, byte[] input, int inputLength, byte[] output, int outputCapacity);
}
