package io.kanbu.backup.core.crypto;

/**
 * Argon2id cost parameters (version 0x13, 32-byte output). New passphrase-wrapped backups use the
 * parameters the {@link EnvelopeEncryption} was built with; decryption always uses the ones in the
 * header, within {@link #MAX_MEMORY_KIB} / {@link #MAX_ITERATIONS} / {@link #MAX_PARALLELISM} so a
 * forged header cannot make a reader allocate unbounded memory.
 *
 * @param memoryKib memory in KiB (at least 8 × parallelism)
 * @param iterations passes over memory
 * @param parallelism lanes
 */
public record Argon2idParameters(int memoryKib, int iterations, int parallelism) {

  /** m = 64 MiB, t = 3, p = 1: about 1 s per derivation on the 2-core build VM. */
  public static final Argon2idParameters DEFAULT = new Argon2idParameters(64 * 1024, 3, 1);

  public static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;
  public static final int MAX_ITERATIONS = 64;
  public static final int MAX_PARALLELISM = 64;

  public Argon2idParameters {
    if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
      throw new IllegalArgumentException(
          "argon2id parallelism " + parallelism + " is out of range 1.." + MAX_PARALLELISM);
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException(
          "argon2id iterations " + iterations + " is out of range 1.." + MAX_ITERATIONS);
    }
    if (memoryKib < 8 * parallelism || memoryKib > MAX_MEMORY_KIB) {
      throw new IllegalArgumentException(
          "argon2id memory "
              + memoryKib
              + " KiB is out of range "
              + 8 * parallelism
              + ".."
              + MAX_MEMORY_KIB);
    }
  }
}
