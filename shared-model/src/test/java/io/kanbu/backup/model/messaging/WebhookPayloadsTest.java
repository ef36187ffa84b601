package io.kanbu.backup.model.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.model.catalog.WebhookFormat;
import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class WebhookPayloadsTest {

  private final MessageCodec codec = new MessageCodec();
  private final JsonMapper json = new JsonMapper();

  private byte[] event(String type, JobType jobType, JobStatus status, String error) {
    return codec.encode(
        new JobEvent(
            JobEvent.SCHEMA_VERSION,
            UUID.randomUUID(),
            type,
            Instant.parse("2026-11-26T03:00:41Z"),
            new JobEvent.Data(
                    UUID.randomUUID(),
                    jobType,
                    "default",
                    status,
                    TriggerSource.API,
                    1,
                    UUID.randomUUID(),
                    error == null ? "kanbu_backup_2026-11-26T03-00-00_4c1f0a9e.sql.gz" : null,
                    5000L,
                    1024L * 1024 * 3,
                    1024L * 1024 * 3,
                    error == null ? "a".repeat(64) : null,
                    error == null ? "a".repeat(64) : null,
                    71_120L,
                    error)
                .withJobContext(List.of(), null, null, null)));
  }

  @Test
  void slack_saysWhichBackupIsDegraded_andWhichCopyIsNot() {
    JobEvent.Data data =
        MessageCodecTest.sourceBackupSucceeded()
            .withCopies(MessageCodecTest.localAndDrive("FAILED", "HTTP 403"));

    JsonNode slack =
        json.readTree(
            WebhookPayloads.render(
                WebhookFormat.SLACK,
                codec.encode(JobEvent.copiesChanged(UUID.randomUUID(), Instant.now(), data))));

    assertThat(slack.get("text").asString())
        .isEqualTo(
            "⚠️ backup "
                + data.backupId()
                + " of 'default' degraded: 1 of 2 copies available; gdrive FAILED");
  }

  @Test
  void standard_isTheEnvelopeByteForByte() {
    byte[] event =
        event(JobEvent.JOB_SUCCEEDED, JobType.BACKUP_DATABASE, JobStatus.SUCCEEDED, null);

    assertThat(WebhookPayloads.render(WebhookFormat.STANDARD, event)).isEqualTo(event);
  }

  @Test
  void legacy_mapsABackupEventToTheOriginalsPayload() {
    byte[] event =
        event(JobEvent.JOB_SUCCEEDED, JobType.BACKUP_DATABASE, JobStatus.SUCCEEDED, null);

    JsonNode body = json.readTree(WebhookPayloads.render(WebhookFormat.KANBU_LEGACY, event));

    assertThat(body.path("event").asString()).isEqualTo("backup.completed");
    assertThat(body.path("timestamp").asString()).isEqualTo("2026-11-26T03:00:41Z");
    JsonNode execution = body.path("execution");
    assertThat(execution.path("id").asInt()).isZero();
    assertThat(execution.path("type").asString()).isEqualTo("database");
    assertThat(execution.path("trigger").asString()).isEqualTo("MANUAL");
    assertThat(execution.path("status").asString()).isEqualTo("COMPLETED");
    assertThat(execution.path("filename").asString()).startsWith("kanbu_backup_");
    assertThat(execution.path("fileSize").asLong()).isEqualTo(3 * 1024 * 1024);
    assertThat(execution.path("durationMs").asLong()).isEqualTo(71_120);
    assertThat(execution.path("isEncrypted").asBoolean()).isFalse();
    assertThat(execution.path("checksum").asString()).hasSize(64);
    assertThat(execution.path("errorMessage").isNull()).isTrue();
    assertThat(body.path("schedule").isNull()).isTrue();
  }

  @Test
  void legacy_restoreFailure_isRestoreFailed() {
    byte[] event =
        event(JobEvent.RESTORE_FAILED, JobType.RESTORE_DATABASE, JobStatus.FAILED, "psql: boom");

    JsonNode body = json.readTree(WebhookPayloads.render(WebhookFormat.KANBU_LEGACY, event));

    assertThat(body.path("event").asString()).isEqualTo("restore.failed");
    assertThat(body.path("execution").path("errorMessage").asString()).isEqualTo("psql: boom");
  }

  @Test
  void slackAndDiscord_carryOneReadableLine() {
    byte[] ok = event(JobEvent.JOB_SUCCEEDED, JobType.BACKUP_DATABASE, JobStatus.SUCCEEDED, null);
    byte[] failed =
        event(
            JobEvent.JOB_FAILED,
            JobType.BACKUP_SOURCE,
            JobStatus.FAILED,
            "unable to read '/app'\nsecond line");

    String slack =
        json.readTree(WebhookPayloads.render(WebhookFormat.SLACK, ok)).path("text").asString();
    String discord =
        json.readTree(WebhookPayloads.render(WebhookFormat.DISCORD, failed))
            .path("content")
            .asString();

    assertThat(slack)
        .isEqualTo(
            "✅ database backup of 'default' succeeded:"
                + " kanbu_backup_2026-11-26T03-00-00_4c1f0a9e.sql.gz, 3.0 MiB in 71.1 s");
    assertThat(discord)
        .isEqualTo("❌ source backup of 'default' failed in 71.1 s: unable to read '/app'");
  }

  @Test
  void aStartedJob_isOneLineNamingTheJobAndARetry() {
    byte[] started =
        codec.encode(
            JobEvent.jobStarted(
                UUID.randomUUID(),
                Instant.parse("2026-11-26T03:00:00Z"),
                JobEvent.Data.withoutOutcome(
                    UUID.randomUUID(),
                    JobType.BACKUP_DATABASE,
                    "default",
                    JobStatus.RUNNING,
                    TriggerSource.SCHEDULE,
                    2,
                    null)));

    String slack =
        json.readTree(WebhookPayloads.render(WebhookFormat.SLACK, started)).path("text").asString();
    JsonNode legacy = json.readTree(WebhookPayloads.render(WebhookFormat.KANBU_LEGACY, started));

    assertThat(slack).isEqualTo("▶️ database backup of 'default' started (attempt 2)");
    assertThat(legacy.path("event").asString()).isEqualTo("job.started");
    assertThat(legacy.path("execution").path("status").asString()).isEqualTo("RUNNING");
  }

  @Test
  void testEvent_isAnEnvelope_withItsOwnType() {
    UUID endpoint = UUID.randomUUID();
    byte[] test = WebhookPayloads.testEvent(UUID.randomUUID(), endpoint, Instant.now());

    assertThat(WebhookPayloads.header(test).type()).isEqualTo(WebhookPayloads.TEST_EVENT_TYPE);
    assertThat(
            new String(
                WebhookPayloads.render(WebhookFormat.KANBU_LEGACY, test), StandardCharsets.UTF_8))
        .contains("\"event\":\"webhook.test\"")
        .contains(endpoint.toString());
  }
}
