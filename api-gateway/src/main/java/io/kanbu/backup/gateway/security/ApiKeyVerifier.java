package io.kanbu.backup.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Checks a presented API key against the configured one in constant time: both are hashed with
 * SHA-256 first, so neither the content nor the length of the expected key leaks through timing.
 * Only the digest of the expected key is kept.
 */
public final class ApiKeyVerifier {

  /** Header the original Kanbu clients send the key in. */
  public static final String BACKUP_KEY_HEADER = "X-Backup-Key";

  private static final String BEARER_PREFIX = "bearer ";

  private final byte[] expectedDigest;

  public ApiKeyVerifier(String expectedKey) {
    if (expectedKey.isBlank()) {
      throw new IllegalArgumentException("the expected API key must not be blank");
    }
    this.expectedDigest = sha256(expectedKey);
  }

  /** Whether {@code presented} is the configured key. A null or empty key never matches. */
  public boolean matches(@Nullable String presented) {
    if (presented == null || presented.isEmpty()) {
      return false;
    }
    return MessageDigest.isEqual(expectedDigest, sha256(presented));
  }

  /**
   * Whether a request carries the configured key, as {@code Authorization: Bearer <key>} or as
   * {@code X-Backup-Key: <key>}.
   *
   * @param authorization the {@code Authorization} header, if any
   * @param backupKey the {@code X-Backup-Key} header, if any
   */
  public boolean authenticates(@Nullable String authorization, @Nullable String backupKey) {
    // Both candidates are always checked, so timing does not tell which header was wrong.
    boolean bearer = matches(bearerToken(authorization));
    boolean header = matches(backupKey == null ? null : backupKey.strip());
    return bearer | header;
  }

  /** The token of an {@code Authorization: Bearer <token>} header, or null for other schemes. */
  public static @Nullable String bearerToken(@Nullable String authorization) {
    if (authorization == null) {
      return null;
    }
    String value = authorization.strip();
    if (value.length() <= BEARER_PREFIX.length()
        || !value
            .substring(0, BEARER_PREFIX.length())
            .toLowerCase(Locale.ROOT)
            .equals(BEARER_PREFIX)) {
      return null;
    }
    return value.substring(BEARER_PREFIX.length()).strip();
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
