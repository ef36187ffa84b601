package io.kanbu.backup.worker.config;

import io.kanbu.backup.core.DatabaseBackup;
import io.kanbu.backup.core.SourceBackup;
import io.kanbu.backup.core.source.DockerCli;
import io.kanbu.backup.core.source.PgModeResolver;
import io.kanbu.backup.core.source.PgToolLocator;
import io.kanbu.backup.core.source.PostgresContainerLocator;
import io.kanbu.backup.core.source.tar.GitWorkTreeProbe;
import io.kanbu.backup.core.source.tar.SourceTreeArchiver;
import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.local.LocalStorageBackend;
import io.kanbu.backup.model.amqp.CommandMessages;
import io.kanbu.backup.model.amqp.ConfirmedPublisher;
import io.kanbu.backup.model.amqp.EventOutboxRelay;
import io.kanbu.backup.model.amqp.KanbuTopology;
import io.kanbu.backup.model.catalog.JobEventRecordRepository;
import io.kanbu.backup.model.messaging.MessageCodec;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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

  /** The storage chosen by {@code BACKUP_STORAGE}; the properties accept only {@code local}. */
  @Bean
  StorageBackend storageBackend(WorkerProperties props) {
    log.info(
        "storage '{}' at BACKUP_LOCAL_PATH '{}'",
        props.storage().type(),
        props.storage().localPath());
    return new LocalStorageBackend(props.storage().localPath());
  }

  @Bean
  PgToolLocator pgToolLocator(WorkerProperties props) {
    return props.pgBinDirs().isEmpty()
        ? PgToolLocator.systemDefault()
        : new PgToolLocator(props.pgBinDirs());
  }

  @Bean
  DatabaseBackup databaseBackup(PgToolLocator locator, Clock clock) {
    return new DatabaseBackup(locator, clock);
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
  SourceBackup sourceBackup(Clock clock) {
    return new SourceBackup(new SourceTreeArchiver(), new GitWorkTreeProbe("git"), clock);
  }
}
