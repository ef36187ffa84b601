package io.kanbu.backup.core.webhook;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * A Standard Webhooks signing secret: {@code whsec_} followed by the base64 of its key bytes. New
 * secrets have 32 random bytes. {@link #toString()} never shows the key.
 */
public final class WebhookSecret {

  /** The prefix every secret carries. */
  public static final String PREFIX = "whsec_";

  private static final int NEW_KEY_BYTES = 32;
  private static final int MIN_KEY_BYTES = 24;
  private static final int MAX_KEY_BYTES = 64;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String text;
  private final byte[] key;

  private WebhookSecret(String text, byte[] key) {
    this.text = text;
    this.key = key;
  }

  /** A new secret of 32 random bytes. */
  public static WebhookSecret generate() {
    byte[] key = new byte[NEW_KEY_BYTES];
    RANDOM.nextBytes(key);
    return new WebhookSecret(PREFIX + Base64.getEncoder().encodeToString(key), key);
  }

  /**
   * Reads a secret as stored or given by an operator.
   *
   * @throws IllegalArgumentException saying what is wrong, never showing the secret
   */
  public static WebhookSecret parse(String text) {
    Objects.requireNonNull(text, "text");
    if (!text.startsWith(PREFIX)) {
      throw new IllegalArgumentException(
          "a webhook secret starts with '" + PREFIX + "' followed by base64; this one does not");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(text.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the webhook secret after '" + PREFIX + "' is not valid base64", e);
    }
    if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "a webhook secret holds "
              + MIN_KEY_BYTES
              + " to "
              + MAX_KEY_BYTES
              + " bytes; this one holds "
              + key.length);
    }
    return new WebhookSecret(text, key);
  }

  /** The secret as stored and shown once at creation. */
  public String reveal() {
    return text;
  }

  byte[] key() {
    return key.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WebhookSecret s && s.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return PREFIX + "…";
  }
}
