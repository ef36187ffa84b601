package io.kanbu.backup.worker.config;

import io.kanbu.backup.core.pipeline.Compression;
import io.kanbu.backup.core.source.RowCountMode;
import io.kanbu.backup.core.storage.GoogleDriveProperties;
import io.kanbu.backup.core.storage.StorageSettings;
import io.kanbu.backup.model.messaging.MessagingTopology;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the worker (prefix {@code kanbu.worker}); application.yml maps each to its
 * environment variable. Checked at startup: a bad value stops the worker with a message naming the
 * variable.
 *
 * @param workerId identifies this worker in the catalog ({@code BACKUP_WORKER_ID}); defaults to
 *     hostname and process id
 * @param concurrency how many jobs this worker runs at once ({@code BACKUP_WORKER_CONCURRENCY})
 * @param leaseDuration how long a claim holds without renewal ({@code BACKUP_LEASE_DURATION}); a
 *     job whose worker stops renewing is re-queued by the scheduler's reaper after this
 * @param leaseRenewalInterval how often a running job renews its lease ({@code
 *     BACKUP_LEASE_RENEWAL_INTERVAL}); well below the lease duration
 * @param progressInterval how often the byte counts of running jobs are written to the catalog
 *     ({@code KANBU_WORKER_PROGRESS_INTERVAL}), at least 1s; stage changes are written at once
 * @param maxAttempts attempts of a job created from a command that arrived without a job row
 * @param compressionFormat {@code gzip} (the default), {@code zstd} or {@code none} ({@code
 *     BACKUP_COMPRESSION}); a target may set its own
 * @param compressionLevel the format's level ({@code BACKUP_COMPRESSION_LEVEL}): gzip 1-9, zstd
 *     1-19, none has none; unset for the format's default (gzip 6, zstd 3)
 * @param compressionThreads threads compressing one backup ({@code BACKUP_COMPRESSION_THREADS}); 0,
 *     the default, means one per available core
 * @param pollInterval how often an idle run slot checks that its channel is still open, and the
 *     first pause after a failure to take a job (doubling up to 30 s)
 * @param eventRelayGrace how old an unpublished event must be before the relay publishes it again
 * @param confirmTimeout how long to wait for the broker to confirm a published message
 * @param pgBinDirs directories searched for pg_dump ({@code KANBU_BACKUP_PG_BIN_DIRS}); empty means
 *     /usr/lib/postgresql/{major}/bin and PATH
 * @param storage where backups are written
 * @param rowCounts how manifests count table rows ({@code BACKUP_ROW_COUNTS}): {@code exact} (in
 *     the dump's snapshot), {@code estimate} ({@code pg_class.reltuples}) or {@code off}
 * @param jobsQueue the queue to take commands from; always {@code kanbu.backup.jobs} in production,
 *     another (identically declared) queue only to isolate a test from other workers
 */
@ConfigurationProperties("kanbu.worker")
public record WorkerProperties(
    @Nullable String workerId,
    @DefaultValue("1") int concurrency,
    @DefaultValue("5m") Duration leaseDuration,
    @DefaultValue("1m") Duration leaseRenewalInterval,
    @DefaultValue("5s") Duration progressInterval,
    @DefaultValue("3") int maxAttempts,
    @DefaultValue("gzip") String compressionFormat,
    @Nullable Integer compressionLevel,
    @DefaultValue("0") int compressionThreads,
    @DefaultValue("250ms") Duration pollInterval,
    @DefaultValue("5s") Duration eventRelayGrace,
    @DefaultValue("10s") Duration confirmTimeout,
    @DefaultValue List<Path> pgBinDirs,
    @DefaultValue Storage storage,
    @DefaultValue("exact") String rowCounts,
    @DefaultValue(MessagingTopology.JOBS_QUEUE) String jobsQueue) {

  public WorkerProperties {
    if (workerId == null || workerId.isBlank()) {
      workerId = defaultWorkerId();
    }
    if (concurrency < 1 || concurrency > 64) {
      throw new IllegalArgumentException(
          "BACKUP_WORKER_CONCURRENCY is " + concurrency + "; set it to a number from 1 to 64");
    }
    CompressionSettings.resolve(
        SETTINGS,
        compressionFormat,
        compressionLevel,
        compressionThreads,
        CompressionSettings.builtIn()); // validates, naming the variable that is wrong
    if (leaseDuration.compareTo(Duration.ofSeconds(5)) < 0) {
      throw new IllegalArgumentException(
          "BACKUP_LEASE_DURATION is " + leaseDuration + "; set it to at least 5s");
    }
    if (leaseRenewalInterval.isNegative()
        || leaseRenewalInterval.isZero()
        || leaseRenewalInterval.compareTo(leaseDuration.dividedBy(2)) > 0) {
      throw new IllegalArgumentException(
          "BACKUP_LEASE_RENEWAL_INTERVAL is "
              + leaseRenewalInterval
              + "; set it above zero and at most half of BACKUP_LEASE_DURATION ("
              + leaseDuration
              + ")");
    }
    if (progressInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "KANBU_WORKER_PROGRESS_INTERVAL is "
              + progressInterval
              + "; set it to at least 1s (every running job writes its progress that often)");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("kanbu.worker.max-attempts must be at least 1");
    }
    RowCountMode.parse(rowCounts, "BACKUP_ROW_COUNTS");
    pgBinDirs = pgBinDirs == null ? List.of() : List.copyOf(pgBinDirs);
  }

  /** The variables of the worker's compression. */
  public static final CompressionSettings.Names SETTINGS =
      new CompressionSettings.Names(
          "BACKUP_COMPRESSION", "BACKUP_COMPRESSION_LEVEL", "BACKUP_COMPRESSION_THREADS");

  /**
   * {@link #compressionFormat} at {@link #compressionLevel} on {@link #compressionThreads} threads
   * (0: every core): what backups of a target without settings of its own use.
   */
  public Compression compression() {
    return CompressionSettings.resolve(
        SETTINGS,
        compressionFormat,
        compressionLevel,
        compressionThreads,
        CompressionSettings.builtIn());
  }

  /** {@link #rowCounts} parsed. */
  public RowCountMode rowCountMode() {
    return RowCountMode.parse(rowCounts, "BACKUP_ROW_COUNTS");
  }

  /**
   * Backup storage.
   *
   * @param type the storages ({@code BACKUP_STORAGE}): {@code local}, {@code gdrive}, or a
   *     comma-separated list of them (the first is the primary, the others receive copies)
   * @param localPath root directory of local storage ({@code BACKUP_LOCAL_PATH})
   * @param gdrive Google Drive ({@code BACKUP_GDRIVE_*})
   */
  public record Storage(
      @DefaultValue("local") String type,
      @DefaultValue("/data/backups") Path localPath,
      @DefaultValue GoogleDriveProperties gdrive) {

    public Storage {
      settings(type, localPath, gdrive); // validates, naming the variable that is wrong
    }

    /** The primary storage, the first of the list. */
    public StorageSettings settings() {
      return all().getFirst();
    }

    /** Every storage listed, the primary first. */
    public List<StorageSettings> all() {
      return settings(type, localPath, gdrive);
    }

    private static List<StorageSettings> settings(
        String type, Path localPath, GoogleDriveProperties gdrive) {
      return StorageSettings.parseList(type, localPath, gdrive.toSettings());
    }
  }

  private static String defaultWorkerId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = System.getenv().getOrDefault("HOSTNAME", "unknown-host");
    }
    return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
  }
}
