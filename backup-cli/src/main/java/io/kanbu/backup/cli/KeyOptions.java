package io.kanbu.backup.cli;

import io.kanbu.backup.core.crypto.Keyring;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Where the keys come from: environment variables and keyring files, never the command line (a key
 * in argv would show in the process list and the shell history). Parsed by the core's {@link
 * Keyring}, exactly as the worker parses its configuration.
 */
final class KeyOptions {

  @Option(
      names = "--key-env",
      paramLabel = "VAR",
      defaultValue = Keyring.ENV_KEY,
      description =
          "Environment variable holding the (primary) key, taken verbatim: 64 hex characters are a"
              + " raw 256-bit key, anything else a passphrase. Default: ${DEFAULT-VALUE}.")
  String keyEnv = Keyring.ENV_KEY;

  @Option(
      names = "--key-id",
      paramLabel = "ID",
      description =
          "Id of the key from --key-env. Default: $"
              + Keyring.ENV_KEY_ID
              + "; if unset, verify and decrypt use the id in the file's header, rekey uses '"
              + Keyring.DEFAULT_PRIMARY_ID
              + "'.")
  @Nullable String keyId;

  @Option(
      names = "--key-file",
      paramLabel = "PATH",
      description =
          "Keyring file instead of --key-env: one 'id:secret' a line, '#' comments, the first"
              + " entry is the primary key; mode 0600 or stricter. Without it, $"
              + Keyring.ENV_KEYRING_FILE
              + " is read as the worker reads it.")
  @Nullable Path keyFile;

  @Option(
      names = "--old-keys-env",
      paramLabel = "VAR",
      defaultValue = Keyring.ENV_OLD_KEYS,
      description =
          "Environment variable with old keys that only decrypt: comma-separated 'id:secret'."
              + " Default: ${DEFAULT-VALUE}.")
  String oldKeysEnv = Keyring.ENV_OLD_KEYS;

  @Option(
      names = "--old-keys-file",
      paramLabel = "PATH",
      description = "Keyring file ('id:secret' lines, mode 0600) of old keys that only decrypt.")
  @Nullable Path oldKeysFile;

  /**
   * The keyring these options name.
   *
   * @param env the process environment
   * @param headerKeyId the key id in the file's header: the id of the {@code --key-env} key when no
   *     id is given (verify, decrypt); null to use {@code primary} (rekey)
   * @throws io.kanbu.backup.core.crypto.KeyringException if a source is invalid
   */
  Keyring keyring(Map<String, String> env, @Nullable String headerKeyId) {
    Keyring keyring;
    if (keyFile != null) {
      keyring = Keyring.fromFile(keyFile).withOldKeys(fromEnvironment(env, false, null));
    } else {
      String givenId = keyId != null ? keyId : blankToNull(env.get(Keyring.ENV_KEY_ID));
      keyring = fromEnvironment(env, true, givenId);
      // A recovering operator may have the secret but not its id: let the header name it, unless
      // an old key already has that id (the key check value still decides whether it is right).
      if (givenId == null
          && headerKeyId != null
          && keyring.primary().isPresent()
          && keyring.find(headerKeyId).isEmpty()) {
        keyring = fromEnvironment(env, true, headerKeyId);
      }
    }
    if (oldKeysFile != null) {
      keyring = keyring.withOldKeys(Keyring.fromFile(oldKeysFile));
    }
    return keyring;
  }

  private Keyring fromEnvironment(
      Map<String, String> env, boolean withPrimary, @Nullable String primaryId) {
    Map<String, String> settings = new HashMap<>();
    if (withPrimary) {
      putIfSet(settings, Keyring.ENV_KEY, env.get(keyEnv));
      putIfSet(settings, Keyring.ENV_KEY_ID, primaryId);
      putIfSet(settings, Keyring.ENV_KEYRING_FILE, env.get(Keyring.ENV_KEYRING_FILE));
    }
    putIfSet(settings, Keyring.ENV_OLD_KEYS, env.get(oldKeysEnv));
    return Keyring.fromEnvironment(settings);
  }

  private static void putIfSet(Map<String, String> map, String key, @Nullable String value) {
    if (value != null && !value.isEmpty()) {
      map.put(key, value);
    }
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
