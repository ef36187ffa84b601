package io.kanbu.backup.worker.job;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.crypto.DecryptionException;
import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.crypto.LegacyKanbuDecryptor;
import io.kanbu.backup.core.inventory.Inventory;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.verify.LegacyFileCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Measures the files of the original Kanbu that a rescan found and the catalog does not know yet:
 * each is read once to its end ({@link LegacyFileCheck}: decrypted with the operator's key when it
 * is a {@code .enc}, decompressed to the end as its name says), which both verifies it and yields
 * the sizes and digests the catalog records. A file that cannot be read that way is named in a
 * warning and not imported.
 */
@Component
public class LegacyImporter {

  private final Keyring keyring;

  public LegacyImporter(Keyring keyring) {
    this.keyring = keyring;
  }

  /** A legacy file and what reading it measured. */
  public record Measured(
      Inventory.Legacy file, LegacyFileCheck.Result result, @Nullable String keyId) {}

  /**
   * What the import found.
   *
   * @param measured files ready to be recorded
   * @param warnings one per file that was not imported, saying why and what to do
   */
  public record Imports(List<Measured> measured, List<String> warnings) {
    public Imports {
      measured = List.copyOf(measured);
      warnings = List.copyOf(warnings);
    }

    /** No legacy files: legacy files are imported from the primary storage only. */
    public static Imports none() {
      return new Imports(List.of(), List.of());
    }
  }

  /**
   * @param known object keys the catalog already records (those are not read again)
   */
  public Imports measure(StorageBackend storage, Inventory inventory, Set<String> known) {
    List<Measured> measured = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (Inventory.Legacy file : inventory.legacy()) {
      String key = file.object().key();
      if (known.contains(key)) {
        continue;
      }
      try {
        LegacyKanbuDecryptor decryptor =
            file.name().encrypted() ? LegacyKanbuDecryptor.withPrimaryKey(keyring) : null;
        LegacyFileCheck.Result result;
        try (InputStream in = storage.open(key)) {
          result = LegacyFileCheck.run(in, decryptor, file.name().compression());
        }
        String keyId = decryptor == null ? null : keyring.primary().orElseThrow().id();
        measured.add(new Measured(file, result, keyId));
      } catch (DecryptionException e) {
        warnings.add(
            "legacy Kanbu file '"
                + key
                + "' was not imported: "
                + e.getMessage()
                + "; set BACKUP_ENCRYPTION_KEY to the original Kanbu's key and rescan");
      } catch (IOException | UncheckedIOException | BackupException e) {
        warnings.add(
            "legacy Kanbu file '"
                + key
                + "' was not imported: it is damaged, truncated or not "
                + file.name().compression().id()
                + " ("
                + e.getMessage()
                + ")");
      }
    }
    return new Imports(measured, warnings);
  }
}
