package io.kanbu.backup.gateway.config;

import io.kanbu.backup.core.storage.GoogleDriveProperties;
import io.kanbu.backup.core.storage.StorageSettings;
import io.kanbu.backup.model.messaging.BackupCommand;
import io.kanbu.backup.model.schedule.CronSchedule;
import io.kanbu.backup.model.schedule.InvalidCronExpressionException;
import io.kanbu.backup.model.schedule.SchedulerMode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the gateway, bound from {@code kanbu.*} (see {@code application.yml} for the
 * environment variables behind them) and validated at startup.
 *
 * @param trigger the external trigger and its API key
 * @param storage where backups are read from for downloads
 * @param outbox how commands left unconfirmed by the broker are published again
 * @param targets the operator's named targets beside {@code default}, keyed by name ({@code
 *     kanbu.targets.<name>.database-url}); the gateway only needs their names
 * @param schedules who starts backups, and the time zone of new schedules
 */
@Validated
@ConfigurationProperties("kanbu")
public record GatewayProperties(
    @Valid @DefaultValue Trigger trigger,
    @Valid @DefaultValue Storage storage,
    @Valid @DefaultValue Outbox outbox,
    @DefaultValue Map<String, Target> targets,
    @Valid @DefaultValue Schedules schedules) {

  /** The target that always exists: the database of {@code DATABASE_URL}. */
  public static final String DEFAULT_TARGET = "default";

  public GatewayProperties {
    for (String name : targets.keySet()) {
      if (!BackupCommand.TARGET_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "target name '"
                + name
                + "' (kanbu.targets."
                + name
                + ") is not valid: use lowercase letters, digits, '-' and '_', at most 63"
                + " characters, starting with a letter or digit");
      }
    }
    targets = Map.copyOf(targets);
  }

  /** Names callers may pass as {@code target}: {@code default} plus every configured target. */
  public Set<String> targetNames() {
    Set<String> names = new TreeSet<>(targets.keySet());
    names.add(DEFAULT_TARGET);
    return names;
  }

  /**
   * Schedules and the external trigger.
   *
   * @param mode {@code BACKUP_SCHEDULER_MODE}: {@code internal} (schedules fire, the external
   *     trigger answers 403), {@code external} (schedules do not fire; the trigger works) or {@code
   *     both}, the default
   * @param defaultTimeZone {@code BACKUP_CRON_TIMEZONE}: the time zone a new schedule gets when its
   *     request names none (an IANA id, default {@code UTC})
   */
  public record Schedules(
      @DefaultValue("both") String mode, @DefaultValue("UTC") String defaultTimeZone) {

    public Schedules {
      SchedulerMode.parse(mode);
      try {
        CronSchedule.zone(defaultTimeZone);
      } catch (InvalidCronExpressionException e) {
        throw new IllegalArgumentException("BACKUP_CRON_TIMEZONE: " + e.getMessage(), e);
      }
    }

    /** The mode, parsed. */
    public SchedulerMode schedulerMode() {
      return SchedulerMode.parse(mode);
    }

    /** The default time zone, parsed. */
    public ZoneId timeZone() {
      return CronSchedule.zone(defaultTimeZone);
    }
  }

  /**
   * The external trigger.
   *
   * @param apiKey the shared secret callers present as {@code Authorization: Bearer <key>} or
   *     {@code X-Backup-Key: <key>} ({@code BACKUP_TRIGGER_API_KEY}); never logged or returned
   * @param maxWait the longest {@code ?wait=} a caller may ask for
   * @param waitPollInterval how often a waiting request looks at its job in the catalog
   * @param maxAttempts how many times a job is started before a lost worker fails it for good
   */
  public record Trigger(
      @NotBlank(
              message =
                  "BACKUP_TRIGGER_API_KEY is not set; generate a key with `openssl rand -hex 32`,"
                      + " export it as BACKUP_TRIGGER_API_KEY and give it to the API's callers")
          String apiKey,
      @DefaultValue("1h") Duration maxWait,
      @DefaultValue("250ms") Duration waitPollInterval,
      @DefaultValue("3") @Min(1) @Max(100) int maxAttempts) {

    public Trigger {
      if (waitPollInterval.isNegative() || waitPollInterval.isZero()) {
        throw new IllegalArgumentException(
            "kanbu.trigger.wait-poll-interval must be positive, was " + waitPollInterval);
      }
    }

    @Override
    public String toString() {
      // The key is a secret: keep it out of logs and failure reports.
      return "Trigger[apiKey=<hidden>, maxWait="
          + maxWait
          + ", waitPollInterval="
          + waitPollInterval
          + ", maxAttempts="
          + maxAttempts
          + "]";
    }
  }

  /**
   * Storage the backups are downloaded from, configured as for the worker.
   *
   * @param type the storages ({@code BACKUP_STORAGE}): {@code local}, {@code gdrive}, or a
   *     comma-separated list of them (the first is the primary)
   * @param localPath root directory of the local backend ({@code BACKUP_LOCAL_PATH})
   * @param gdrive Google Drive ({@code BACKUP_GDRIVE_*})
   */
  public record Storage(
      @DefaultValue("local") String type,
      @DefaultValue("/data/backups") Path localPath,
      @DefaultValue GoogleDriveProperties gdrive) {

    public Storage {
      all(type, localPath, gdrive); // validates, naming the variable
    }

    /** The primary storage, the first of the list. */
    public StorageSettings settings() {
      return all().getFirst();
    }

    /** Every storage listed, the primary first: downloads fall back to the others. */
    public java.util.List<StorageSettings> all() {
      return all(type, localPath, gdrive);
    }

    private static java.util.List<StorageSettings> all(
        String type, Path localPath, GoogleDriveProperties gdrive) {
      return StorageSettings.parseList(type, localPath, gdrive.toSettings());
    }
  }

  /**
   * The job-row outbox of commands.
   *
   * @param relayInterval pause between two runs of the relay
   * @param grace how long a job may stay unconfirmed before the relay publishes it again
   * @param confirmTimeout how long a publish waits for the broker's confirm
   */
  public record Outbox(
      @DefaultValue("2s") Duration relayInterval,
      @DefaultValue("5s") Duration grace,
      @DefaultValue("10s") Duration confirmTimeout) {}

  /**
   * A named target, configured as for the worker ({@code KANBU_TARGETS_<NAME>_DATABASE_URL}, {@code
   * KANBU_TARGETS_<NAME>_SOURCE_PATH}). Only its name matters to the gateway; both settings are
   * bound so that a target with either one is known here, and neither is ever exposed.
   *
   * @param databaseUrl connection of a database target; may hold a password
   * @param sourcePath directory of a source target
   */
  public record Target(@Nullable String databaseUrl, @Nullable String sourcePath) {

    @Override
    public String toString() {
      return "Target[databaseUrl=<hidden>, sourcePath=<hidden>]";
    }
  }
}
