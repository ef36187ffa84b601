package io.kanbu.backup.worker.target;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.core.pipeline.Compression;
import io.kanbu.backup.core.pipeline.CompressionFormat;
import io.kanbu.backup.worker.config.WorkerProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Per-target compression, bound from environment variables as an operator sets them. */
class TargetCompressionTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties({WorkerProperties.class, TargetsProperties.class})
  @Import(TargetCompression.class)
  static class Config {}

  private static ApplicationContextRunner withEnvironment(Map<String, Object> variables) {
    return new ApplicationContextRunner()
        .withUserConfiguration(Config.class)
        .withInitializer(
            context ->
                context
                    .getEnvironment()
                    .getPropertySources()
                    .addFirst(
                        new SystemEnvironmentPropertySource(
                            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            variables)));
  }

  @Test
  void aTargetsOwnSettings_overrideTheWorkers_andOthersInheritThem() {
    withEnvironment(
            Map.of(
                "KANBU_WORKER_COMPRESSION_LEVEL", "9",
                "KANBU_WORKER_COMPRESSION_THREADS", "2",
                "KANBU_TARGETS_ARCHIVE_DATABASE_URL", "postgresql:///archive",
                "KANBU_TARGETS_ARCHIVE_COMPRESSION", "zstd",
                "KANBU_TARGETS_ARCHIVE_COMPRESSION_THREADS", "3",
                "KANBU_TARGETS_RAW_DATABASE_URL", "postgresql:///raw",
                "KANBU_TARGETS_RAW_COMPRESSION", "none",
                "KANBU_TARGETS_BILLING_DATABASE_URL", "postgresql:///billing"))
        .run(
            context -> {
              TargetCompression compression = context.getBean(TargetCompression.class);
              // zstd does not take the worker's gzip level: its own default
              assertThat(compression.of("archive"))
                  .isEqualTo(new Compression(CompressionFormat.ZSTD, 3, 3));
              assertThat(compression.of("raw"))
                  .isEqualTo(new Compression(CompressionFormat.NONE, 0, 2));
              assertThat(compression.of("billing"))
                  .isEqualTo(new Compression(CompressionFormat.GZIP, 9, 2));
              assertThat(compression.of("unknown"))
                  .isEqualTo(new Compression(CompressionFormat.GZIP, 9, 2));
            });
  }

  @Test
  void aTargetLevelOutOfRange_stopsStartup_namingTheTargetsVariable() {
    withEnvironment(
            Map.of(
                "KANBU_TARGETS_ARCHIVE_DATABASE_URL", "postgresql:///archive",
                "KANBU_TARGETS_ARCHIVE_COMPRESSION", "zstd",
                "KANBU_TARGETS_ARCHIVE_COMPRESSION_LEVEL", "22"))
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessage(
                        "KANBU_TARGETS_ARCHIVE_COMPRESSION_LEVEL is 22; zstd levels are 1-19"));
  }

  @Test
  void aTargetsUnknownFormat_stopsStartup_namingTheTargetsVariable() {
    withEnvironment(
            Map.of(
                "KANBU_TARGETS_ARCHIVE_DATABASE_URL", "postgresql:///archive",
                "KANBU_TARGETS_ARCHIVE_COMPRESSION", "lz4"))
        .run(
            context ->
                assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining(
                        "KANBU_TARGETS_ARCHIVE_COMPRESSION is 'lz4'; set it to gzip, zstd or none"));
  }
}
