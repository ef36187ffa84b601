package io.kanbu.backup.worker.config;

import io.kanbu.backup.core.DatabaseBackup;
import io.kanbu.backup.core.SourceBackup;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.pipeline.GzipEngine;
import io.kanbu.backup.core.pipeline.PipelineProgress;
import io.kanbu.backup.core.rekey.BackupRekeyer;
import io.kanbu.backup.core.restore.DatabaseRestore;
import io.kanbu.backup.core.source.DockerCli;
import io.kanbu.backup.core.source.PgModeResolver;
import io.kanbu.backup.core.source.PgToolLocator;
import io.kanbu.backup.core.source.PostgresContainerLocator;
import io.kanbu.backup.core.source.tar.GitWorkTreeProbe;
import io.kanbu.backup.core.source.tar.SourceTreeArchiver;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StorageSet;
import io.kanbu.backup.core.storage.StorageSettings;
import io.kanbu.backup.core.verify.BackupVerifier;
import io.kanbu.backup.model.amqp.CommandMessages;
import io.kanbu.backup.model.amqp.ConfirmedPublisher;
import io.kanbu.backup.model.amqp.EventOutboxRelay;
import io.kanbu.backup.model.amqp.KanbuTopology;
import io.kanbu.backup.model.catalog.JobEventRecordRepository;
import io.kanbu.backup.model.messaging.MessageCodec;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.transaction.support.TransactionTemplate;

/** The worker's beans, in one place: codec, publisher, topology, storage, the backup facade. */
@Configuration(proxyBeanMethods = false)
public class WorkerConfiguration {

  private static final Logger log = LoggerFactory.getLogger(WorkerConfiguration.class);

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  MessageCodec messageCodec() {
    return new MessageCodec();
  }

  @Bean
  CommandMessages commandMessages(MessageCodec codec) {
    return new CommandMessages(codec);
  }

  @Bean
  ConfirmedPublisher confirmedPublisher(RabbitTemplate rabbitTemplate, WorkerProperties props) {
    return new ConfirmedPublisher(rabbitTemplate, props.confirmTimeout());
  }

  /** The event outbox relay shared by every app that records job events. */
  @Bean
  EventOutboxRelay eventOutboxRelay(
      JobEventRecordRepository events,
      ConfirmedPublisher publisher,
      CommandMessages messages,
      TransactionTemplate transactions,
      Clock clock,
      WorkerProperties props) {
    return new EventOutboxRelay(
        events, publisher, messages, transactions, clock, props.eventRelayGrace());
  }

  /** Declared by RabbitAdmin on every (re)connection, identically in every app. */
  @Bean
  Declarables kanbuTopology() {
    return KanbuTopology.declarables();
  }

  /** The storages {@code BACKUP_STORAGE} lists, the primary first. */
  @Bean
  StorageSet storageSet(WorkerProperties props) {
    List<StorageSettings> settings = props.storage().all();
    for (StorageSettings storage : settings) {
      log.info("storage '{}' at {}", storage.name(), storage.location());
    }
    if (settings.size() > 1) {
      log.info(
          "backups are written to '{}' and copied to {}",
          settings.getFirst().name(),
          settings.subList(1, settings.size()).stream().map(StorageSettings::name).toList());
    }
    return StorageSet.open(settings);
  }

  /** The primary storage: where backups are written first, and what single-storage jobs use. */
  @Bean
  StorageBackend storageBackend(StorageSet storages) {
    return storages.primary();
  }

  @Bean
  PgToolLocator pgToolLocator(WorkerProperties props) {
    return props.pgBinDirs().isEmpty()
        ? PgToolLocator.systemDefault()
        : new PgToolLocator(props.pgBinDirs());
  }

  /**
   * The keyring from {@code BACKUP_ENCRYPTION_KEY}, {@code BACKUP_ENCRYPTION_KEY_ID}, {@code
   * BACKUP_ENCRYPTION_OLD_KEYS} and {@code BACKUP_ENCRYPTION_KEYRING_FILE}, read through Spring's
   * environment (so the operating system environment, or a test's properties). Only key ids are
   * logged.
   */
  @Bean
  Keyring keyring(Environment environment) {
    Map<String, String> settings = new HashMap<>();
    for (String name :
        List.of(
            Keyring.ENV_KEY, Keyring.ENV_KEY_ID, Keyring.ENV_OLD_KEYS, Keyring.ENV_KEYRING_FILE)) {
      String value = environment.getProperty(name);
      if (value != null && !value.isEmpty()) {
        settings.put(name, value);
      }
    }
    Keyring keyring = Keyring.fromEnvironment(settings);
    if (keyring.primary().isPresent()) {
      log.info("new backups are encrypted; keyring {}", keyring);
    } else {
      log.info(
          "new backups are NOT encrypted ({} is not set); keyring {}", Keyring.ENV_KEY, keyring);
    }
    return keyring;
  }

  @Bean
  EnvelopeEncryption envelopeEncryption(Keyring keyring) {
    return new EnvelopeEncryption(keyring);
  }

  /**
   * Brings AES-GCM to full speed off the job path, once per worker start, when the worker encrypts;
   * a worker without a key spends neither the time nor the memory.
   */
  @Bean
  ApplicationListener<ApplicationReadyEvent> encryptionWarmUp(Keyring keyring) {
    return event -> {
      if (keyring.primary().isEmpty()) {
        return;
      }
      Thread.ofPlatform()
          .name("aes-gcm-warm-up")
          .daemon(true)
          .start(() -> log.info("AES-GCM warmed up in {}", EnvelopeEncryption.warmUp()));
    };
  }

  /**
   * Says which provider serves AES-GCM and SHA-256 ({@link NativeCrypto}) and what compresses gzip
   * ({@link GzipEngine}), both applied in main; a warning where a native library did not load.
   */
  @Bean
  ApplicationListener<ApplicationReadyEvent> nativeLibrariesReport() {
    return event -> {
      NativeCrypto.Outcome crypto = NativeCrypto.outcome();
      report("crypto", crypto.detail(), crypto.unexpected());
      GzipEngine.Selection gzip = GzipEngine.selection();
      report("compression", gzip.detail(), gzip.unexpected());
    };
  }

  private static void report(String subject, String detail, boolean unexpected) {
    if (unexpected) {
      log.warn("{}: {}", subject, detail);
    } else {
      log.info("{}: {}", subject, detail);
    }
  }

  @Bean
  BackupVerifier backupVerifier(EnvelopeEncryption encryption) {
    return new BackupVerifier(encryption);
  }

  @Bean
  BackupRekeyer backupRekeyer(EnvelopeEncryption encryption) {
    return new BackupRekeyer(encryption);
  }

  @Bean
  DatabaseRestore databaseRestore(PgToolLocator locator, Keyring keyring, Clock clock) {
    return new DatabaseRestore(locator, keyring, clock);
  }

  @Bean
  DatabaseBackup databaseBackup(PgToolLocator locator, Clock clock, PipelineProgress progress) {
    return new DatabaseBackup(locator, clock, progress);
  }

  @Bean
  DockerCli dockerCli(PostgresModeProperties postgres) {
    return new DockerCli(postgres.dockerBinary());
  }

  @Bean
  PgModeResolver pgModeResolver(PgToolLocator locator, DockerCli docker) {
    return new PgModeResolver(locator, new PostgresContainerLocator(docker));
  }

  @Bean
  SourceBackup sourceBackup(Clock clock, PipelineProgress progress) {
    return new SourceBackup(new SourceTreeArchiver(), new GitWorkTreeProbe("git"), clock, progress);
  }
}
