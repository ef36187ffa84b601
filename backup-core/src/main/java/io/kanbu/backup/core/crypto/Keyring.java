package io.kanbu.backup.core.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The operator's keys. The primary key wraps the data key of every new backup; all keys (primary
 * and old) unwrap. Entries are looked up by the key id stored in a backup's header.
 *
 * <p>Configuration, read by {@link #fromEnvironment(Map)}:
 *
 * <ul>
 *   <li>{@code BACKUP_ENCRYPTION_KEY}: the primary secret, taken verbatim (64 hex characters = raw
 *       256-bit key, anything else = passphrase). Its id is {@code BACKUP_ENCRYPTION_KEY_ID}, or
 *       {@code primary} when that is unset. The value is never split on ':' because an existing
 *       passphrase from the original Kanbu may contain one.
 *   <li>{@code BACKUP_ENCRYPTION_OLD_KEYS}: comma-separated {@code id:secret} entries that only
 *       decrypt (secrets cannot contain ','; use a keyring file for those).
 *   <li>{@code BACKUP_ENCRYPTION_KEYRING_FILE}: a file of {@code id:secret} lines ({@code #}
 *       comments and blank lines ignored). Its first entry is the primary key unless {@code
 *       BACKUP_ENCRYPTION_KEY} is also set, in which case all its entries are old keys. The file
 *       must not be readable or writable by group or others.
 * </ul>
 *
 * <p>{@link #toString()} lists ids only. Instances are immutable and thread-safe.
 */
public final class Keyring {

  public static final String ENV_KEY = "BACKUP_ENCRYPTION_KEY";
  public static final String ENV_KEY_ID = "BACKUP_ENCRYPTION_KEY_ID";
  public static final String ENV_OLD_KEYS = "BACKUP_ENCRYPTION_OLD_KEYS";
  public static final String ENV_KEYRING_FILE = "BACKUP_ENCRYPTION_KEYRING_FILE";

  /** The id of {@code BACKUP_ENCRYPTION_KEY} when {@code BACKUP_ENCRYPTION_KEY_ID} is unset. */
  public static final String DEFAULT_PRIMARY_ID = "primary";

  private final @Nullable KeyringEntry primary;
  private final Map<String, KeyringEntry> byId;

  private Keyring(@Nullable KeyringEntry primary, List<KeyringEntry> others) {
    Map<String, KeyringEntry> map = new LinkedHashMap<>();
    if (primary != null) {
      map.put(primary.id(), primary);
    }
    for (KeyringEntry entry : others) {
      if (map.putIfAbsent(entry.id(), entry) != null) {
        throw new KeyringException(
            "key id '"
                + entry.id()
                + "' appears more than once in the keyring: ids must be unique");
      }
    }
    this.primary = primary;
    this.byId = Collections.unmodifiableMap(map);
  }

  /** A keyring with a primary key and optional old keys. */
  public static Keyring of(KeyringEntry primary, KeyringEntry... oldKeys) {
    return new Keyring(primary, List.of(oldKeys));
  }

  /** A keyring that can only decrypt (no primary key). */
  public static Keyring decryptOnly(List<KeyringEntry> keys) {
    return new Keyring(null, keys);
  }

  /** An empty keyring: encryption is off and every decryption fails with a clear message. */
  public static Keyring empty() {
    return new Keyring(null, List.of());
  }

  /**
   * Reads the keyring from environment variables (see the class comment).
   *
   * @param env usually {@code System.getenv()}
   * @throws KeyringException if a value is invalid, naming the variable but never the secret
   */
  public static Keyring fromEnvironment(Map<String, String> env) {
    String key = blankToNull(env.get(ENV_KEY));
    String keyId = blankToNull(env.get(ENV_KEY_ID));
    String oldKeys = blankToNull(env.get(ENV_OLD_KEYS));
    String file = blankToNull(env.get(ENV_KEYRING_FILE));

    KeyringEntry primary = null;
    List<KeyringEntry> others = new ArrayList<>();
    if (key != null) {
      primary = KeyringEntry.of(keyId != null ? keyId : DEFAULT_PRIMARY_ID, key);
    } else if (keyId != null) {
      throw new KeyringException(ENV_KEY_ID + " is set but " + ENV_KEY + " is not");
    }
    if (file != null) {
      List<KeyringEntry> fromFile = readFileEntries(Path.of(file));
      if (primary == null && !fromFile.isEmpty()) {
        primary = fromFile.getFirst();
        others.addAll(fromFile.subList(1, fromFile.size()));
      } else {
        others.addAll(fromFile);
      }
    }
    if (oldKeys != null) {
      int position = 0;
      for (String item : oldKeys.split(",", -1)) {
        position++;
        if (item.isBlank()) {
          continue;
        }
        others.add(parseEntry(item.strip(), ENV_OLD_KEYS + " entry " + position));
      }
    }
    return new Keyring(primary, others);
  }

  /**
   * Reads a keyring file: one {@code id:secret} per line, the first is the primary key.
   *
   * @throws KeyringException if the file is missing, group/world accessible, or malformed
   */
  public static Keyring fromFile(Path file) {
    List<KeyringEntry> entries = readFileEntries(file);
    if (entries.isEmpty()) {
      return empty();
    }
    return new Keyring(entries.getFirst(), entries.subList(1, entries.size()));
  }

  private static List<KeyringEntry> readFileEntries(Path file) {
    checkPermissions(file);
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new KeyringException(
          "unable to read keyring file '" + file + "': " + e.getClass().getSimpleName());
    }
    List<KeyringEntry> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.strip().startsWith("#")) {
        continue;
      }
      entries.add(parseEntry(line, "keyring file '" + file + "' line " + (i + 1)));
    }
    return entries;
  }

  private static void checkPermissions(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new KeyringException("keyring file '" + file + "' does not exist or is not a file");
    }
    PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
    if (view == null) {
      return; // not a POSIX file system (e.g. Windows): ACLs are the operator's business
    }
    Set<PosixFilePermission> permissions;
    try {
      permissions = view.readAttributes().permissions();
    } catch (IOException e) {
      throw new KeyringException(
          "unable to read permissions of keyring file '" + file + "': " + e.getMessage());
    }
    for (PosixFilePermission permission : permissions) {
      if (permission.name().startsWith("GROUP_") || permission.name().startsWith("OTHERS_")) {
        throw new KeyringException(
            "keyring file '"
                + file
                + "' is accessible by group or others: run 'chmod 600 "
                + file
                + "' and try again");
      }
    }
  }

  private static KeyringEntry parseEntry(String item, String where) {
    int colon = item.indexOf(':');
    if (colon <= 0) {
      throw new KeyringException(where + " is not of the form id:secret");
    }
    String id = item.substring(0, colon).strip();
    String secret = item.substring(colon + 1);
    if (!KeyringEntry.ID_PATTERN.matcher(id).matches()) {
      throw new KeyringException(
          where + " has an invalid key id: use 1 to 64 letters, digits, '.', '_' or '-'");
    }
    if (secret.isEmpty()) {
      throw new KeyringException(where + " (key '" + id + "') has an empty secret");
    }
    return KeyringEntry.of(id, secret);
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isEmpty() ? null : value;
  }

  /**
   * This keyring with every key of {@code older} added as an old key (one that only decrypts); the
   * primary key stays this keyring's. Lets a caller combine keys from several places (a keyring
   * file, an environment variable) with the same parsing as {@link #fromEnvironment}.
   *
   * @throws KeyringException if an id appears in both
   */
  public Keyring withOldKeys(Keyring older) {
    List<KeyringEntry> others = new ArrayList<>();
    for (KeyringEntry entry : byId.values()) {
      if (entry != primary) {
        others.add(entry);
      }
    }
    others.addAll(older.byId.values());
    return new Keyring(primary, others);
  }

  /** The key that wraps new backups, if any. */
  public Optional<KeyringEntry> primary() {
    return Optional.ofNullable(primary);
  }

  /** The key with this id, if present. */
  public Optional<KeyringEntry> find(String keyId) {
    return Optional.ofNullable(byId.get(keyId));
  }

  /** True when no key at all is configured. */
  public boolean isEmpty() {
    return byId.isEmpty();
  }

  /** All key ids, the primary first. */
  public List<String> ids() {
    return List.copyOf(byId.keySet());
  }

  @Override
  public String toString() {
    return "Keyring[primary="
        + (primary == null ? "none" : primary.id())
        + ", ids="
        + byId.keySet()
        + "]";
  }
}
