package io.kanbu.backup.core.crypto;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * One key of a {@link Keyring}: an id and a secret. A secret of exactly 64 hexadecimal characters
 * is a raw 256-bit key; anything else is a passphrase (its UTF-8 bytes, used verbatim) that is
 * stretched with Argon2id when encrypting new backups. The secret is never exposed by {@link
 * #toString()} or in any exception message.
 */
public final class KeyringEntry {

  /** Key ids: 1 to 64 characters of letters, digits, dot, underscore and hyphen. */
  public static final Pattern ID_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private static final Pattern RAW_KEY_PATTERN = Pattern.compile("[0-9A-Fa-f]{64}");

  private final String id;
  private final boolean rawKey;
  // Raw key: the 32 key bytes. Passphrase: its UTF-8 bytes.
  private final byte[] secret;

  private KeyringEntry(String id, boolean rawKey, byte[] secret) {
    this.id = id;
    this.rawKey = rawKey;
    this.secret = secret;
  }

  /**
   * Creates an entry.
   *
   * @param id the key id, matching {@link #ID_PATTERN}
   * @param secret 64 hex characters (raw key) or a non-empty passphrase
   * @throws KeyringException if the id is invalid or the secret is empty
   */
  public static KeyringEntry of(String id, String secret) {
    if (!ID_PATTERN.matcher(id).matches()) {
      throw new KeyringException(
          "invalid key id '" + printable(id) + "': use 1 to 64 letters, digits, '.', '_' or '-'");
    }
    if (secret.isEmpty()) {
      throw new KeyringException("key '" + id + "' has an empty secret");
    }
    if (RAW_KEY_PATTERN.matcher(secret).matches()) {
      return new KeyringEntry(id, true, HexFormat.of().parseHex(secret));
    }
    return new KeyringEntry(id, false, secret.getBytes(StandardCharsets.UTF_8));
  }

  /** The key id stored in the header of every backup this key wraps. */
  public String id() {
    return id;
  }

  /** True for a raw 256-bit key (64 hex characters), false for a passphrase. */
  public boolean isRawKey() {
    return rawKey;
  }

  /** A copy of the raw key bytes or of the passphrase's UTF-8 bytes; the caller wipes it. */
  byte[] secretBytes() {
    return secret.clone();
  }

  @Override
  public String toString() {
    return "KeyringEntry[id=" + id + ", kind=" + (rawKey ? "raw-256-bit-key" : "passphrase") + "]";
  }

  // Ids may come from a mistyped configuration line: never echo more than a short, printable
  // prefix, because the "id" might in fact be part of a secret.
  static String printable(String candidate) {
    String cut = candidate.length() > 16 ? candidate.substring(0, 16) + "…" : candidate;
    return cut.replaceAll("[^\\x20-\\x7E…]", "?");
  }
}
