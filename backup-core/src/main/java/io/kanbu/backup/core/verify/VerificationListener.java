package io.kanbu.backup.core.verify;

/**
 * Hears each check of a {@link BackupVerifier} run as it passes, in the order of {@link
 * VerificationCheck}, so that a caller (the offline CLI) can show them one by one. A check that
 * fails is not reported here: the verifier throws {@link VerificationFailedException} naming it.
 */
@FunctionalInterface
public interface VerificationListener {

  /** Ignores every report. */
  VerificationListener NONE = (check, detail) -> {};

  /**
   * @param check the check that passed
   * @param detail what was found, e.g. a digest and a size; never a secret
   */
  void passed(VerificationCheck check, String detail);
}
