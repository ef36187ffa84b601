package io.kanbu.backup.core.verify;

/** The checks of a verification, in the order a reader meets them. */
public enum VerificationCheck {
  /** The manifest exists, is valid, its own checksum matches and it agrees with the catalog. */
  MANIFEST("manifest"),
  /** The stored object exists and can be read. */
  OBJECT("object"),
  /** Size and SHA-256 of the stored bytes; needs no key. */
  STORED_SHA256("stored sha256"),
  /** The header unwraps with a key of the keyring and every segment authenticates. */
  DECRYPTION("decryption"),
  /** SHA-256 of the compressed plaintext. */
  PLAINTEXT_SHA256("plaintext sha256"),
  /**
   * The compressed stream (gzip, zstd) decompresses to its end (detects truncation) to the recorded
   * raw size.
   */
  DECOMPRESSION("decompression");

  private final String label;

  VerificationCheck(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
