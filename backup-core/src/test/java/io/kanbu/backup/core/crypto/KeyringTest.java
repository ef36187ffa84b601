package io.kanbu.backup.core.crypto;

import static io.kanbu.backup.core.crypto.CryptoFixtures.HEX_KEY_A;
import static io.kanbu.backup.core.crypto.CryptoFixtures.HEX_KEY_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyringTest {

  @TempDir Path dir;

  @Test
  void singleKey_getsIdPrimary_andIsTakenVerbatimEvenWithAColon() {
    Keyring keyring = Keyring.fromEnvironment(Map.of("BACKUP_ENCRYPTION_KEY", "my:old pass"));

    assertThat(keyring.primary()).hasValueSatisfying(e -> assertThat(e.id()).isEqualTo("primary"));
    assertThat(keyring.primary().orElseThrow().isRawKey()).isFalse();
    assertThat(new String(keyring.primary().orElseThrow().secretBytes())).isEqualTo("my:old pass");
  }

  @Test
  void sixtyFourHexCharacters_areARawKey_anythingElseAPassphrase() {
    assertThat(KeyringEntry.of("k", HEX_KEY_A).isRawKey()).isTrue();
    assertThat(KeyringEntry.of("k", HEX_KEY_A.toUpperCase()).isRawKey()).isTrue();
    assertThat(KeyringEntry.of("k", HEX_KEY_A.substring(1)).isRawKey()).isFalse();
    assertThat(KeyringEntry.of("k", HEX_KEY_A + "0").isRawKey()).isFalse();
    assertThat(KeyringEntry.of("k", HEX_KEY_A).secretBytes()).hasSize(32);
  }

  @Test
  void keyIdAndOldKeys_fromTheEnvironment() {
    Keyring keyring =
        Keyring.fromEnvironment(
            Map.of(
                "BACKUP_ENCRYPTION_KEY",
                HEX_KEY_B,
                "BACKUP_ENCRYPTION_KEY_ID",
                "2026-11",
                "BACKUP_ENCRYPTION_OLD_KEYS",
                "2025-01:" + HEX_KEY_A + ", legacy:a passphrase ,"));

    assertThat(keyring.primary().orElseThrow().id()).isEqualTo("2026-11");
    assertThat(keyring.ids()).containsExactly("2026-11", "2025-01", "legacy");
    assertThat(keyring.find("2025-01").orElseThrow().isRawKey()).isTrue();
    // whitespace around an entry is trimmed; the secret ends at the comma
    assertThat(new String(keyring.find("legacy").orElseThrow().secretBytes()))
        .isEqualTo("a passphrase");
  }

  @Test
  void withOldKeys_addsEveryKeyOfTheOtherKeyringAsOldKey_keepingThePrimary() {
    Keyring current = Keyring.of(KeyringEntry.of("new", HEX_KEY_B), KeyringEntry.of("mid", "p"));
    Keyring older = Keyring.of(KeyringEntry.of("old", HEX_KEY_A));

    Keyring merged = current.withOldKeys(older);

    assertThat(merged.primary().orElseThrow().id()).isEqualTo("new");
    assertThat(merged.ids()).containsExactly("new", "mid", "old");
    assertThatThrownBy(() -> merged.withOldKeys(older))
        .isInstanceOf(KeyringException.class)
        .hasMessageContaining("'old' appears more than once");
  }

  @Test
  void duplicateIds_areRefused() {
    assertThatThrownBy(
            () ->
                Keyring.fromEnvironment(
                    Map.of(
                        "BACKUP_ENCRYPTION_KEY",
                        HEX_KEY_A,
                        "BACKUP_ENCRYPTION_OLD_KEYS",
                        "primary:" + HEX_KEY_B)))
        .isInstanceOf(KeyringException.class)
        .hasMessage("key id 'primary' appears more than once in the keyring: ids must be unique");
  }

  @Test
  void malformedOldKeyEntry_namesTheVariableAndPosition_butNotTheSecret() {
    assertThatThrownBy(
            () ->
                Keyring.fromEnvironment(
                    Map.of("BACKUP_ENCRYPTION_OLD_KEYS", "ok:fine,s3cr3tWithoutId")))
        .isInstanceOf(KeyringException.class)
        .hasMessage("BACKUP_ENCRYPTION_OLD_KEYS entry 2 is not of the form id:secret")
        .message()
        .doesNotContain("s3cr3t");
    assertThatThrownBy(
            () -> Keyring.fromEnvironment(Map.of("BACKUP_ENCRYPTION_OLD_KEYS", "bad id!:s3cr3t")))
        .isInstanceOf(KeyringException.class)
        .hasMessageContaining("entry 1 has an invalid key id")
        .message()
        .doesNotContain("s3cr3t");
  }

  @Test
  void emptyEnvironment_givesAnEmptyKeyring() {
    Keyring keyring = Keyring.fromEnvironment(Map.of("BACKUP_ENCRYPTION_KEY", ""));

    assertThat(keyring.isEmpty()).isTrue();
    assertThat(keyring.primary()).isEmpty();
  }

  @Test
  void keyringFile_firstEntryIsPrimary_commentsAndBlankLinesIgnored() throws IOException {
    Path file =
        privateFile(
            "# rotated 2026-11\n\nnew:"
                + HEX_KEY_B
                + "\n  # old one\nold:pass phrase:with colon\n");

    Keyring keyring = Keyring.fromFile(file);

    assertThat(keyring.primary().orElseThrow().id()).isEqualTo("new");
    assertThat(keyring.ids()).containsExactly("new", "old");
    assertThat(new String(keyring.find("old").orElseThrow().secretBytes()))
        .isEqualTo("pass phrase:with colon");
  }

  @Test
  void keyringFileWithEnvironmentKey_addsTheFileEntriesAsOldKeys() throws IOException {
    Path file = privateFile("old:" + HEX_KEY_A + "\n");

    Keyring keyring =
        Keyring.fromEnvironment(
            Map.of(
                "BACKUP_ENCRYPTION_KEY",
                HEX_KEY_B,
                "BACKUP_ENCRYPTION_KEYRING_FILE",
                file.toString()));

    assertThat(keyring.primary().orElseThrow().id()).isEqualTo("primary");
    assertThat(keyring.ids()).containsExactly("primary", "old");
  }

  @Test
  void groupOrWorldReadableKeyringFile_isRefusedWithTheFix() throws IOException {
    Path file = privateFile("k:" + HEX_KEY_A + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

    assertThatThrownBy(() -> Keyring.fromFile(file))
        .isInstanceOf(KeyringException.class)
        .hasMessage(
            "keyring file '"
                + file
                + "' is accessible by group or others: run 'chmod 600 "
                + file
                + "' and try again");

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw----r--"));
    assertThatThrownBy(() -> Keyring.fromFile(file)).isInstanceOf(KeyringException.class);
  }

  @Test
  void missingKeyringFile_isRefused() {
    Path missing = dir.resolve("nope");

    assertThatThrownBy(() -> Keyring.fromFile(missing))
        .isInstanceOf(KeyringException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void toString_listsIdsButNeverSecrets() {
    Keyring keyring =
        Keyring.of(KeyringEntry.of("a", HEX_KEY_A), KeyringEntry.of("b", "hunter2 passphrase"));

    assertThat(keyring.toString())
        .isEqualTo("Keyring[primary=a, ids=[a, b]]")
        .doesNotContain(HEX_KEY_A);
    assertThat(keyring.find("b").orElseThrow().toString())
        .isEqualTo("KeyringEntry[id=b, kind=passphrase]");
  }

  private Path privateFile(String content) throws IOException {
    Path file = dir.resolve("keyring");
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }
}
