package io.kanbu.backup.worker.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.core.pipeline.Compression;
import io.kanbu.backup.core.pipeline.CompressionFormat;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class WorkerPropertiesTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties({WorkerProperties.class, ReplicationProperties.class})
  static class Config {}

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withUserConfiguration(Config.class);

  @Test
  void defaults_areUsable() {
    runner.run(
        context -> {
          WorkerProperties props = context.getBean(WorkerProperties.class);
          assertThat(props.concurrency()).isEqualTo(1);
          assertThat(props.compression().format()).isEqualTo(CompressionFormat.GZIP);
          assertThat(props.compression().level()).isEqualTo(6);
          assertThat(props.compression().threads())
              .isEqualTo(Runtime.getRuntime().availableProcessors());
          assertThat(props.leaseDuration()).isEqualTo(Duration.ofMinutes(5));
          assertThat(props.progressInterval()).isEqualTo(Duration.ofSeconds(5));
          assertThat(props.storage().type()).isEqualTo("local");
          assertThat(props.storage().localPath()).isEqualTo(Path.of("/data/backups"));
          assertThat(props.workerId()).matches(".+-\\d+");
          assertThat(props.pgBinDirs()).isEmpty();
        });
  }

  @Test
  void valuesBind() {
    runner
        .withPropertyValues(
            "kanbu.worker.concurrency=3",
            "kanbu.worker.worker-id=w1",
            "kanbu.worker.compression-level=1",
            "kanbu.worker.compression-threads=3",
            "kanbu.worker.pg-bin-dirs=/opt/pg/16/bin,/opt/pg/17/bin",
            "kanbu.worker.storage.local-path=/srv/backups")
        .run(
            context -> {
              WorkerProperties props = context.getBean(WorkerProperties.class);
              assertThat(props.concurrency()).isEqualTo(3);
              assertThat(props.workerId()).isEqualTo("w1");
              assertThat(props.compression())
                  .isEqualTo(new Compression(CompressionFormat.GZIP, 1, 3));
              assertThat(props.pgBinDirs())
                  .containsExactly(Path.of("/opt/pg/16/bin"), Path.of("/opt/pg/17/bin"));
              assertThat(props.storage().localPath()).isEqualTo(Path.of("/srv/backups"));
            });
  }

  private void assertStartupFailsNaming(String property, String envVar) {
    runner
        .withPropertyValues(property)
        .run(
            context -> {
              assertThat(context).hasFailed();
              Throwable failure = context.getStartupFailure();
              StringBuilder messages = new StringBuilder();
              for (Throwable t = failure; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
              }
              assertThat(messages.toString()).contains(envVar);
            });
  }

  @Test
  void unsupportedStorage_stopsStartup_namingBackupStorage() {
    assertStartupFailsNaming("kanbu.worker.storage.type=s3", "BACKUP_STORAGE names 's3'");
  }

  @Test
  void aStorageListedTwice_stopsStartup_namingBackupStorage() {
    assertStartupFailsNaming("kanbu.worker.storage.type=local,local", "lists 'local' twice");
  }

  @Test
  void aBadReplicationRetryPause_stopsStartup_namingTheVariable() {
    assertStartupFailsNaming("kanbu.replication.retry-pause=0s", "BACKUP_REPLICATION_RETRY_PAUSE");
  }

  @Test
  void relativeLocalPath_stopsStartup_namingBackupLocalPath() {
    assertStartupFailsNaming("kanbu.worker.storage.local-path=backups", "BACKUP_LOCAL_PATH");
  }

  @Test
  void badConcurrency_stopsStartup_namingTheVariable() {
    assertStartupFailsNaming("kanbu.worker.concurrency=0", "BACKUP_WORKER_CONCURRENCY");
  }

  @Test
  void unknownRowCountMode_stopsStartup_namingBackupRowCounts() {
    assertStartupFailsNaming(
        "kanbu.worker.row-counts=sometimes", "BACKUP_ROW_COUNTS is 'sometimes'; set it to exact");
  }

  @Test
  void badGzipLevel_stopsStartup_namingTheVariable() {
    assertStartupFailsNaming("kanbu.worker.compression-level=11", "BACKUP_COMPRESSION_LEVEL");
  }

  @Test
  void zstdAndNone_bind_withTheirDefaultLevels() {
    runner
        .withPropertyValues("kanbu.worker.compression-format=zstd")
        .run(
            context ->
                assertThat(context.getBean(WorkerProperties.class).compression())
                    .extracting(Compression::format, Compression::level)
                    .containsExactly(CompressionFormat.ZSTD, 3));
    runner
        .withPropertyValues("kanbu.worker.compression-format=NONE")
        .run(
            context ->
                assertThat(context.getBean(WorkerProperties.class).compression())
                    .extracting(Compression::format, Compression::level)
                    .containsExactly(CompressionFormat.NONE, 0));
  }

  @Test
  void unknownCompression_stopsStartup_namingTheVariableAndTheChoices() {
    assertStartupFailsNaming(
        "kanbu.worker.compression-format=brotli",
        "BACKUP_COMPRESSION is 'brotli'; set it to gzip, zstd or none");
  }

  @Test
  void levelOutOfRangeForTheFormat_stopsStartup_namingTheFormatsLevels() {
    runner
        .withPropertyValues(
            "kanbu.worker.compression-format=zstd", "kanbu.worker.compression-level=20")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("BACKUP_COMPRESSION_LEVEL is 20; zstd levels are 1-19"));
    runner
        .withPropertyValues(
            "kanbu.worker.compression-format=none", "kanbu.worker.compression-level=3")
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("compression 'none' has no level; unset it"));
  }

  @Test
  void negativeCompressionThreads_stopsStartup_namingTheVariable() {
    assertStartupFailsNaming("kanbu.worker.compression-threads=-1", "BACKUP_COMPRESSION_THREADS");
  }

  @Test
  void progressReportedMoreOftenThanEverySecond_stopsStartup_namingTheVariable() {
    assertStartupFailsNaming(
        "kanbu.worker.progress-interval=500ms", "KANBU_WORKER_PROGRESS_INTERVAL");
  }

  @Test
  void renewalSlowerThanHalfTheLease_stopsStartup() {
    assertStartupFailsNaming(
        "kanbu.worker.lease-renewal-interval=4m", "BACKUP_LEASE_RENEWAL_INTERVAL");
  }
}
