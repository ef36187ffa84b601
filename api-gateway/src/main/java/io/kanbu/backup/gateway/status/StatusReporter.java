package io.kanbu.backup.gateway.status;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.source.DockerCli;
import io.kanbu.backup.core.source.PgTool;
import io.kanbu.backup.core.source.PgToolLocator;
import io.kanbu.backup.core.source.PostgresContainerLocator;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StorageSet;
import io.kanbu.backup.core.storage.StorageSettings;
import io.kanbu.backup.model.catalog.BackupCopyRepository;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupKind;
import io.kanbu.backup.model.catalog.BackupRecord;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.kanbu.backup.model.catalog.BackupStatus;
import io.kanbu.backup.model.job.JobType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;

/**
 * Builds the {@link StatusReport}: probes pg_dump and docker on this host (read-only: {@code
 * --version}, {@code docker ps}), checks the storage directory, and counts backups in the catalog.
 */
public final class StatusReporter {

  private final StatusProperties props;
  private final String schedulerMode;
  private final List<StorageSettings> storages;
  private final StorageSet backends;
  private final BackupCopyRepository copies;
  private final Set<String> targetNames;
  private final Predicate<String> databaseUrlSet;
  private final boolean encryptionEnabled;
  private final @Nullable String primaryKeyId;
  private final BackupRecordRepository backups;
  private final BackupJobRepository jobs;

  /**
   * @param schedulerMode {@code BACKUP_SCHEDULER_MODE}
   * @param targetNames every database or source target
   * @param databaseUrlSet whether a target's database URL is set
   * @param encryptionEnabled whether new backups are encrypted
   * @param primaryKeyId the id of the key they are wrapped with, if known
   */
  public StatusReporter(
      StatusProperties props,
      String schedulerMode,
      List<StorageSettings> storages,
      StorageSet backends,
      BackupCopyRepository copies,
      Set<String> targetNames,
      Predicate<String> databaseUrlSet,
      boolean encryptionEnabled,
      @Nullable String primaryKeyId,
      BackupRecordRepository backups,
      BackupJobRepository jobs) {
    this.props = props;
    this.schedulerMode = schedulerMode;
    this.storages = List.copyOf(storages);
    this.backends = backends;
    this.copies = copies;
    this.targetNames = Set.copyOf(targetNames);
    this.databaseUrlSet = databaseUrlSet;
    this.encryptionEnabled = encryptionEnabled;
    this.primaryKeyId = primaryKeyId;
    this.backups = backups;
    this.jobs = jobs;
  }

  public StatusReport report() {
    StatusReport.PgDump pgDump = pgDump();
    StatusReport.Docker docker = docker();
    List<StatusReport.Target> targets = new ArrayList<>();
    for (String name : targetNames.stream().sorted().toList()) {
      boolean urlSet = databaseUrlSet.test(name);
      Optional<BackupJob> last = lastDatabaseJobWithMode(name);
      targets.add(
          new StatusReport.Target(
              name,
              urlSet,
              expectedMode(urlSet, pgDump.found(), docker.containerFound()),
              last.map(BackupJob::getMode).orElse(null),
              last.map(BackupJob::getModeReason).orElse(null)));
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    for (BackupKind kind : BackupKind.values()) {
      counts.put(kind.name(), backups.count(availableOfKind(kind)));
    }
    List<StatusReport.Storage> all =
        storages.stream()
            .map(
                s ->
                    new StatusReport.Storage(
                        s.name(), s.location(), writable(s, backends.find(s.name()).orElseThrow())))
            .toList();
    return new StatusReport(
        all.getFirst(),
        new StatusReport.Postgres(props.pgMode(), pgDump, docker, targets),
        new StatusReport.Scheduler(schedulerMode),
        encryption(),
        counts,
        new StatusReport.Replication(all, copies.countDegradedBackups()));
  }

  private StatusReport.Encryption encryption() {
    Specification<BackupRecord> encrypted =
        (root, query, cb) ->
            cb.and(
                cb.isTrue(root.get("encrypted")),
                cb.equal(root.get("status"), BackupStatus.AVAILABLE));
    String newestKeyId =
        backups
            .findAll(encrypted, PageRequest.of(0, 1, Sort.by(Sort.Direction.DESC, "createdAt")))
            .stream()
            .findFirst()
            .map(BackupRecord::getKeyId)
            .orElse(null);
    Long underOtherKeys =
        primaryKeyId == null
            ? null
            : backups.count(
                encrypted.and((root, query, cb) -> cb.notEqual(root.get("keyId"), primaryKeyId)));
    return new StatusReport.Encryption(
        encryptionEnabled, primaryKeyId, newestKeyId, underOtherKeys);
  }

  private String expectedMode(boolean urlSet, boolean pgDumpFound, boolean containerFound) {
    boolean direct = urlSet && pgDumpFound;
    return switch (props.pgMode()) {
      case "direct" -> direct ? "direct" : "none";
      case "docker" -> containerFound ? "docker" : "none";
      default -> direct ? "direct" : containerFound ? "docker" : "none";
    };
  }

  private StatusReport.PgDump pgDump() {
    PgToolLocator locator =
        props.pgBinDirs().isEmpty()
            ? PgToolLocator.systemDefault()
            : new PgToolLocator(props.pgBinDirs());
    return locator.findAll("pg_dump").stream()
        .max(Comparator.comparing(PgTool::version))
        .map(t -> new StatusReport.PgDump(true, t.version().display(), t.path().toString()))
        .orElse(new StatusReport.PgDump(false, null, null));
  }

  private StatusReport.Docker docker() {
    DockerCli cli = new DockerCli(props.dockerBinary());
    try {
      cli.runningContainers();
    } catch (BackupException e) {
      return new StatusReport.Docker(
          props.dockerBinary(), false, e.getMessage(), false, null, null);
    }
    try {
      Optional<PostgresContainerLocator.Found> found =
          new PostgresContainerLocator(cli).find(props.container(), props.containerPattern());
      return new StatusReport.Docker(
          props.dockerBinary(),
          true,
          null,
          found.isPresent(),
          found.map(PostgresContainerLocator.Found::name).orElse(null),
          found.map(PostgresContainerLocator.Found::how).orElse(null));
    } catch (BackupException e) {
      return new StatusReport.Docker(props.dockerBinary(), true, e.getMessage(), false, null, null);
    }
  }

  private Optional<BackupJob> lastDatabaseJobWithMode(String target) {
    Specification<BackupJob> spec =
        (root, query, cb) ->
            cb.and(
                cb.equal(root.get("target"), target),
                cb.equal(root.get("type"), JobType.BACKUP_DATABASE),
                cb.isNotNull(root.get("mode")));
    return jobs
        .findAll(spec, PageRequest.of(0, 1, Sort.by(Sort.Direction.DESC, "createdAt")))
        .stream()
        .findFirst();
  }

  private static Specification<BackupRecord> availableOfKind(BackupKind kind) {
    return (root, query, cb) ->
        cb.and(
            cb.equal(root.get("kind"), kind), cb.equal(root.get("status"), BackupStatus.AVAILABLE));
  }

  /** A directory the gateway may write to; for the Drive API, a folder that answers a query. */
  private static boolean writable(StorageSettings storage, StorageBackend backend) {
    if (storage.usesDriveApi()) {
      try {
        backend.stat("kanbu-status-probe");
        return true;
      } catch (RuntimeException e) {
        return false;
      }
    }
    Path dir =
        storage.type().equals("gdrive") ? storage.gdrive().mountedPath() : storage.localPath();
    return dir != null && Files.isDirectory(dir) && Files.isWritable(dir);
  }
}
