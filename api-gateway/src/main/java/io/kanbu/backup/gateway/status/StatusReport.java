package io.kanbu.backup.gateway.status;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The status report, as the original Kanbu's status panel showed it. Probes run on the gateway's
 * host; backups run on the workers, so each target also shows the mode its last database job
 * actually used and why.
 *
 * @param storage where backups are kept
 * @param postgres how database backups reach PostgreSQL
 * @param scheduler {@code BACKUP_SCHEDULER_MODE}
 * @param encryption whether backups are encrypted and with which key id (the key is never shown)
 * @param backups available backups by kind ({@code DATABASE}, {@code SOURCE})
 * @param replication every storage of {@code BACKUP_STORAGE} and how many backups are degraded
 */
public record StatusReport(
    Storage storage,
    Postgres postgres,
    Scheduler scheduler,
    Encryption encryption,
    Map<String, Long> backups,
    Replication replication) {

  /**
   * Copies of backups on several storages.
   *
   * @param storages every storage, the primary (where backups are written) first
   * @param degradedBackups available backups with fewer available copies than they should have (a
   *     {@code REPLICATE} repairs them)
   */
  public record Replication(List<Storage> storages, long degradedBackups) {}

  /**
   * @param type {@code local} or {@code gdrive} (the storage's name)
   * @param location the directory, or the Drive folder
   * @param writable whether the gateway can write there (workers need the same); for the Drive API,
   *     whether the folder answers a query with the configured credentials
   */
  public record Storage(String type, String location, boolean writable) {}

  /**
   * @param mode the configured {@code BACKUP_PG_MODE}
   * @param pgDump the newest pg_dump found on this host
   * @param docker what the docker client says
   * @param targets each database target
   */
  public record Postgres(String mode, PgDump pgDump, Docker docker, List<Target> targets) {}

  /**
   * @param found whether a pg_dump was found
   * @param version its version
   * @param path where
   */
  public record PgDump(boolean found, @Nullable String version, @Nullable String path) {}

  /**
   * @param binary the client used
   * @param reachable whether the daemon answered
   * @param error why not, if not
   * @param containerFound whether a PostgreSQL container runs
   * @param containerName its name
   * @param how which rule found it
   */
  public record Docker(
      String binary,
      boolean reachable,
      @Nullable String error,
      boolean containerFound,
      @Nullable String containerName,
      @Nullable String how) {}

  /**
   * @param name the target
   * @param databaseUrlSet whether its URL is set (never the URL)
   * @param expectedMode the mode auto would choose from what this host sees ({@code direct}, {@code
   *     docker} or {@code none}), without connecting to the server
   * @param lastJobMode the mode its last database job used
   * @param lastJobModeReason why
   */
  public record Target(
      String name,
      boolean databaseUrlSet,
      String expectedMode,
      @Nullable String lastJobMode,
      @Nullable String lastJobModeReason) {}

  /**
   * @param mode internal, external or both
   */
  public record Scheduler(String mode) {}

  /**
   * Never a key or a passphrase: ids are operator-chosen labels.
   *
   * @param enabled whether new backups are encrypted: {@code BACKUP_ENCRYPTION_KEY} or {@code
   *     BACKUP_ENCRYPTION_KEYRING_FILE} is set
   * @param keyId the id of the primary key new backups are wrapped with ({@code
   *     BACKUP_ENCRYPTION_KEY_ID}, default {@code primary}); null when encryption is off or the key
   *     comes from a keyring file, which the gateway does not read
   * @param newestBackupKeyId the key id of the newest available encrypted backup: what the workers
   *     actually used last; null when there is none
   * @param backupsUnderOtherKeys available encrypted backups wrapped by another key than {@code
   *     keyId} (what a {@code REKEY} would rewrap); null when {@code keyId} is null
   */
  public record Encryption(
      boolean enabled,
      @Nullable String keyId,
      @Nullable String newestBackupKeyId,
      @Nullable Long backupsUnderOtherKeys) {}
}
