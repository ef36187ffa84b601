package io.kanbu.backup.model.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.model.job.JobStatus;
import io.kanbu.backup.model.job.JobType;
import io.kanbu.backup.model.job.TriggerSource;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageCodecTest {

  private final MessageCodec codec = new MessageCodec();

  @Test
  void command_roundTrips() {
    BackupCommand command =
        BackupCommand.of(
            UUID.randomUUID(),
            JobType.BACKUP_DATABASE,
            "default",
            TriggerSource.API,
            "api-key",
            Instant.parse("2026-11-26T10:15:30Z"));

    assertThat(codec.decodeCommand(codec.encode(command))).isEqualTo(command);
  }

  @Test
  void commandFromAnotherService_withoutOptionalFields_isAccepted() {
    String json =
        """
        {"schemaVersion":1,"jobId":"8d7a1a3e-4f0e-4c55-9d43-0b0f1f7f7b21","type":"BACKUP_DATABASE",
         "target":"default","trigger":"MESSAGE","requestedAt":"2026-11-26T10:15:30Z"}
        """;

    BackupCommand command = codec.decodeCommand(json.getBytes(StandardCharsets.UTF_8));

    assertThat(command.requestedBy()).isNull();
    assertThat(command.trigger()).isEqualTo(TriggerSource.MESSAGE);
  }

  @Test
  void verifyCommand_carriesItsBackupId_andOtherCommandsOmitTheField() {
    UUID backupId = UUID.randomUUID();
    BackupCommand verify =
        BackupCommand.of(
            UUID.randomUUID(),
            JobType.VERIFY,
            "default",
            TriggerSource.API,
            null,
            Instant.parse("2026-11-26T10:15:30Z"),
            backupId);
    BackupCommand backup =
        BackupCommand.of(
            UUID.randomUUID(),
            JobType.BACKUP_DATABASE,
            "default",
            TriggerSource.API,
            null,
            Instant.parse("2026-11-26T10:15:30Z"));

    assertThat(codec.decodeCommand(codec.encode(verify)).backupId()).isEqualTo(backupId);
    assertThat(new String(codec.encode(backup), StandardCharsets.UTF_8)).doesNotContain("backupId");
  }

  @Test
  void verifyCommand_withoutBackupId_breaksTheSchema() {
    String json =
        """
        {"schemaVersion":1,"jobId":"8d7a1a3e-4f0e-4c55-9d43-0b0f1f7f7b21","type":"VERIFY",
         "target":"default","trigger":"MESSAGE","requestedAt":"2026-11-26T10:15:30Z"}
        """;

    assertThatThrownBy(() -> codec.decodeCommand(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("backupId");
  }

  @Test
  void deleteBackupCommand_carriesItsBackupId_andWithoutOneBreaksTheSchema() {
    UUID backupId = UUID.randomUUID();
    BackupCommand delete =
        BackupCommand.of(
            UUID.randomUUID(),
            JobType.DELETE_BACKUP,
            "default",
            TriggerSource.API,
            "admin",
            Instant.parse("2026-11-26T10:15:30Z"),
            backupId);
    String withoutBackup =
        """
        {"schemaVersion":1,"jobId":"8d7a1a3e-4f0e-4c55-9d43-0b0f1f7f7b21","type":"DELETE_BACKUP",
         "target":"default","trigger":"MESSAGE","requestedAt":"2026-11-26T10:15:30Z"}
        """;

    assertThat(codec.decodeCommand(codec.encode(delete))).isEqualTo(delete);
    assertThatThrownBy(() -> codec.decodeCommand(withoutBackup.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("backupId");
  }

  @Test
  void restoreCommand_roundTrips_withItsOptionalFields_whichOtherCommandsOmit() {
    UUID backupId = UUID.randomUUID();
    BackupCommand restore =
        BackupCommand.restore(
            UUID.randomUUID(),
            "default",
            TriggerSource.API,
            "alice@ops",
            Instant.parse("2026-11-26T10:15:30Z"),
            backupId,
            "kanbu_copy",
            true,
            "fresh scratch copy");
    BackupCommand minimal =
        BackupCommand.restore(
            UUID.randomUUID(),
            "default",
            TriggerSource.MESSAGE,
            null,
            Instant.parse("2026-11-26T10:15:30Z"),
            backupId,
            null,
            false,
            null);

    assertThat(codec.decodeCommand(codec.encode(restore))).isEqualTo(restore);
    assertThat(codec.decodeCommand(codec.encode(minimal))).isEqualTo(minimal);
    assertThat(new String(codec.encode(minimal), StandardCharsets.UTF_8))
        .doesNotContain("database")
        .doesNotContain("terminateConnections")
        .doesNotContain("safetyBackupWaiver");
  }

  @Test
  void drillCommand_isAVerifyWithDrillTrue_andAPlainVerifyOmitsTheField() {
    UUID backupId = UUID.randomUUID();
    Instant at = Instant.parse("2026-11-26T10:15:30Z");
    BackupCommand drill =
        BackupCommand.verify(
            UUID.randomUUID(), "default", TriggerSource.SCHEDULE, null, at, backupId, true);
    BackupCommand plain =
        BackupCommand.verify(
            UUID.randomUUID(), "default", TriggerSource.API, null, at, backupId, false);

    assertThat(codec.decodeCommand(codec.encode(drill)).drillRequested()).isTrue();
    assertThat(new String(codec.encode(plain), StandardCharsets.UTF_8)).doesNotContain("drill");
  }

  @Test
  void restoreJobEnded_isARestoreEvent_thatPassesTheSchema() {
    JobEvent event =
        JobEvent.jobEnded(
            UUID.randomUUID(),
            Instant.parse("2026-11-26T10:15:30Z"),
            new JobEvent.Data(
                UUID.randomUUID(),
                JobType.RESTORE_DATABASE,
                "default",
                JobStatus.SUCCEEDED,
                TriggerSource.API,
                1,
                UUID.randomUUID(),
                null,
                null,
                null,
                null,
                null,
                null,
                1200L,
                null));

    assertThat(event.type()).isEqualTo(JobEvent.RESTORE_SUCCEEDED);
    assertThat(codec.decodeEvent(codec.encode(event))).isEqualTo(event);
  }

  @Test
  void verifyJobEnded_isAVerifyEvent_thatPassesTheSchema() {
    JobEvent event =
        JobEvent.jobEnded(
            UUID.randomUUID(),
            Instant.parse("2026-11-26T10:15:30Z"),
            new JobEvent.Data(
                UUID.randomUUID(),
                JobType.VERIFY,
                "default",
                JobStatus.FAILED,
                TriggerSource.API,
                1,
                UUID.randomUUID(),
                null,
                null,
                null,
                null,
                null,
                null,
                12L,
                "sha256 of the stored bytes mismatch"));

    assertThat(event.type()).isEqualTo(JobEvent.VERIFY_FAILED);
    assertThat(codec.decodeEvent(codec.encode(event))).isEqualTo(event);
  }

  @Test
  void aClaimedJob_startsWithJobStarted_thatPassesTheSchema_andIsNoEnd() {
    JobEvent.Data running = runningData(JobStatus.RUNNING);

    JobEvent event =
        JobEvent.jobStarted(UUID.randomUUID(), Instant.parse("2026-11-26T10:15:30Z"), running);

    assertThat(event.type()).isEqualTo(JobEvent.JOB_STARTED);
    assertThat(event.isJobEnd()).isFalse();
    assertThat(codec.decodeEvent(codec.encode(event))).isEqualTo(event);
    assertThat(new String(codec.encode(event), java.nio.charset.StandardCharsets.UTF_8))
        .contains("\"status\":\"RUNNING\"")
        .doesNotContain("warningCount");
  }

  @Test
  void encryptedAndScheduleName_travelInTheEvent_andPassTheSchema() {
    JobEvent event =
        JobEvent.jobStarted(
            UUID.randomUUID(),
            Instant.parse("2026-11-26T10:15:30Z"),
            runningData(JobStatus.RUNNING).withOrigin(true, "nightly"));

    byte[] json = codec.encode(event);

    assertThat(codec.decodeEvent(json)).isEqualTo(event);
    assertThat(new String(json, java.nio.charset.StandardCharsets.UTF_8))
        .contains("\"encrypted\":true")
        .contains("\"scheduleName\":\"nightly\"");
  }

  @Test
  void jobStarted_refusesAJobThatIsNotRunning_andJobEnded_oneThatIs() {
    Instant now = Instant.parse("2026-11-26T10:15:30Z");

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> JobEvent.jobStarted(UUID.randomUUID(), now, runningData(JobStatus.SUCCEEDED)))
        .hasMessageContaining("is not running: status SUCCEEDED");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> JobEvent.jobEnded(UUID.randomUUID(), now, runningData(JobStatus.RUNNING)))
        .hasMessageContaining("has not ended: status RUNNING");
  }

  private static JobEvent.Data runningData(JobStatus status) {
    return JobEvent.Data.withoutOutcome(
        UUID.randomUUID(),
        JobType.RESTORE_DATABASE,
        "default",
        status,
        TriggerSource.SCHEDULE,
        2,
        UUID.randomUUID());
  }

  @Test
  void aCancelledJob_endsWithJobCancelled_thatPassesTheSchema() {
    JobEvent event =
        JobEvent.jobEnded(
            UUID.randomUUID(),
            Instant.parse("2026-11-26T10:15:30Z"),
            new JobEvent.Data(
                UUID.randomUUID(),
                JobType.VERIFY,
                "default",
                JobStatus.CANCELLED,
                TriggerSource.API,
                1,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                5L,
                "cancelled by ops"));

    assertThat(event.type()).isEqualTo(JobEvent.JOB_CANCELLED);
    assertThat(codec.decodeEvent(codec.encode(event))).isEqualTo(event);
  }

  @Test
  void drillResult_travelsInTheEvent_andPassesTheSchema() {
    JobEvent event =
        JobEvent.jobEnded(
            UUID.randomUUID(),
            Instant.parse("2026-11-26T10:15:30Z"),
            new JobEvent.Data(
                    UUID.randomUUID(),
                    JobType.VERIFY,
                    "default",
                    JobStatus.FAILED,
                    TriggerSource.SCHEDULE,
                    1,
                    UUID.randomUUID(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    9000L,
                    "restore drill failed: public.t: 2 rows restored, the manifest has 3")
                .withJobContext(
                    List.of(),
                    null,
                    null,
                    new JobEvent.Drill(false, 8.5, "public.t: 2 rows restored")));

    String json = new String(codec.encode(event), java.nio.charset.StandardCharsets.UTF_8);

    assertThat(json).contains("\"drill\":{\"passed\":false,\"seconds\":8.5");
    assertThat(codec.decodeEvent(codec.encode(event))).isEqualTo(event);
    JobEvent noDrill =
        JobEvent.jobEnded(
            event.id(),
            event.occurredAt(),
            event.data().withJobContext(List.of(), null, null, null));
    assertThat(new String(codec.encode(noDrill), java.nio.charset.StandardCharsets.UTF_8))
        .doesNotContain("\"drill\"");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not JSON | hello | is not valid JSON",
        "empty body | '' | is empty",
        "unknown type | {\"schemaVersion\":1,\"jobId\":\"8d7a1a3e-4f0e-4c55-9d43-0b0f1f7f7b21\",\"type\":\"FORMAT_DISK\",\"target\":\"default\",\"trigger\":\"API\",\"requestedAt\":\"2026-11-26T10:15:30Z\"} | type",
        "missing jobId | {\"schemaVersion\":1,\"type\":\"BACKUP_DATABASE\",\"target\":\"default\",\"trigger\":\"API\",\"requestedAt\":\"2026-11-26T10:15:30Z\"} | jobId",
        "bad target name | {\"schemaVersion\":1,\"jobId\":\"8d7a1a3e-4f0e-4c55-9d43-0b0f1f7f7b21\",\"type\":\"BACKUP_DATABASE\",\"target\":\"../etc\",\"trigger\":\"API\",\"requestedAt\":\"2026-11-26T10:15:30Z\"} | target",
        "unknown field | {\"schemaVersion\":1,\"jobId\":\"8d7a1a3e-4f0e-4c55-9d43-0b0f1f7f7b21\",\"type\":\"BACKUP_DATABASE\",\"target\":\"default\",\"trigger\":\"API\",\"requestedAt\":\"2026-11-26T10:15:30Z\",\"databaseUrl\":\"x\"} | databaseUrl",
        "future schema | {\"schemaVersion\":2,\"jobId\":\"8d7a1a3e-4f0e-4c55-9d43-0b0f1f7f7b21\",\"type\":\"BACKUP_DATABASE\",\"target\":\"default\",\"trigger\":\"API\",\"requestedAt\":\"2026-11-26T10:15:30Z\"} | schemaVersion",
        "restore without backupId | {\"schemaVersion\":1,\"jobId\":\"8d7a1a3e-4f0e-4c55-9d43-0b0f1f7f7b21\",\"type\":\"RESTORE_DATABASE\",\"target\":\"default\",\"trigger\":\"API\",\"requestedAt\":\"2026-11-26T10:15:30Z\"} | backupId",
        "restore field on a backup | {\"schemaVersion\":1,\"jobId\":\"8d7a1a3e-4f0e-4c55-9d43-0b0f1f7f7b21\",\"type\":\"BACKUP_DATABASE\",\"target\":\"default\",\"trigger\":\"API\",\"requestedAt\":\"2026-11-26T10:15:30Z\",\"database\":\"x\"} | database",
        "restore into a path | {\"schemaVersion\":1,\"jobId\":\"8d7a1a3e-4f0e-4c55-9d43-0b0f1f7f7b21\",\"type\":\"RESTORE_DATABASE\",\"target\":\"default\",\"trigger\":\"API\",\"requestedAt\":\"2026-11-26T10:15:30Z\",\"backupId\":\"8d7a1a3e-4f0e-4c55-9d43-0b0f1f7f7b22\",\"database\":\"a;drop\"} | database",
        "drill on a backup | {\"schemaVersion\":1,\"jobId\":\"8d7a1a3e-4f0e-4c55-9d43-0b0f1f7f7b21\",\"type\":\"BACKUP_DATABASE\",\"target\":\"default\",\"trigger\":\"API\",\"requestedAt\":\"2026-11-26T10:15:30Z\",\"drill\":true} | drill",
        "bad uuid | {\"schemaVersion\":1,\"jobId\":\"42\",\"type\":\"BACKUP_DATABASE\",\"target\":\"default\",\"trigger\":\"API\",\"requestedAt\":\"2026-11-26T10:15:30Z\"} | jobId",
        "source restore without directory | {\"schemaVersion\":1,\"jobId\":\"8d7a1a3e-4f0e-4c55-9d43-0b0f1f7f7b21\",\"type\":\"RESTORE_SOURCE\",\"target\":\"default\",\"trigger\":\"API\",\"requestedAt\":\"2026-11-26T10:15:30Z\",\"backupId\":\"8d7a1a3e-4f0e-4c55-9d43-0b0f1f7f7b22\"} | directory",
        "relative restore directory | {\"schemaVersion\":1,\"jobId\":\"8d7a1a3e-4f0e-4c55-9d43-0b0f1f7f7b21\",\"type\":\"RESTORE_SOURCE\",\"target\":\"default\",\"trigger\":\"API\",\"requestedAt\":\"2026-11-26T10:15:30Z\",\"backupId\":\"8d7a1a3e-4f0e-4c55-9d43-0b0f1f7f7b22\",\"directory\":\"restored\"} | directory",
        "directory on a backup | {\"schemaVersion\":1,\"jobId\":\"8d7a1a3e-4f0e-4c55-9d43-0b0f1f7f7b21\",\"type\":\"BACKUP_SOURCE\",\"target\":\"default\",\"trigger\":\"API\",\"requestedAt\":\"2026-11-26T10:15:30Z\",\"directory\":\"/tmp/x\"} | directory",
      })
  void invalidCommand_isRefused_withReasonNamingTheProblem(
      String name, String body, String reasonPart) {
    assertThatThrownBy(() -> codec.decodeCommand(body.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining(reasonPart);
  }

  @Test
  void event_roundTrips_andCarriesTheOutcome() {
    UUID jobId = UUID.randomUUID();
    JobEvent event =
        JobEvent.jobEnded(
            UUID.randomUUID(),
            Instant.parse("2026-11-26T10:16:30Z"),
            new JobEvent.Data(
                jobId,
                JobType.BACKUP_DATABASE,
                "default",
                JobStatus.SUCCEEDED,
                TriggerSource.API,
                1,
                UUID.randomUUID(),
                "kanbu_backup_2026-11-26T10-15-30_8d7a1a3e.sql.gz",
                1000L,
                200L,
                200L,
                "a".repeat(64),
                "a".repeat(64),
                60_000L,
                null));

    JobEvent decoded = codec.decodeEvent(codec.encode(event));

    assertThat(decoded).isEqualTo(event);
    assertThat(decoded.type()).isEqualTo(JobEvent.JOB_SUCCEEDED);
  }

  @Test
  void eventForARunningJob_cannotBeMade() {
    JobEvent.Data running =
        new JobEvent.Data(
            UUID.randomUUID(),
            JobType.VERIFY,
            "default",
            JobStatus.RUNNING,
            TriggerSource.API,
            1,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);

    assertThatThrownBy(() -> JobEvent.jobEnded(UUID.randomUUID(), Instant.now(), running))
        .hasMessageContaining("has not ended");
  }

  static JobEvent.Data sourceBackupSucceeded() {
    return new JobEvent.Data(
        UUID.randomUUID(),
        JobType.BACKUP_SOURCE,
        "default",
        JobStatus.SUCCEEDED,
        TriggerSource.API,
        1,
        UUID.randomUUID(),
        "kanbu_source_2026-11-26T10-15-30_8d7a1a3e.tar.gz",
        1000L,
        200L,
        200L,
        "a".repeat(64),
        "a".repeat(64),
        60_000L,
        null);
  }

  @Test
  void eventWithWarningsAndARecoveryPoint_passesTheSchema_andCarriesBoth() {
    UUID recoveryPoint = UUID.randomUUID();
    JobEvent event =
        JobEvent.jobEnded(
            UUID.randomUUID(),
            Instant.parse("2026-11-26T10:16:30Z"),
            sourceBackupSucceeded()
                .withJobContext(
                    List.of("grow.txt: grew while read", "pipe: special file"),
                    recoveryPoint,
                    null,
                    null));

    byte[] json = codec.encode(event);
    JobEvent decoded = codec.decodeEvent(json);

    assertThat(decoded).isEqualTo(event);
    assertThat(decoded.data().warningCount()).isEqualTo(2);
    assertThat(decoded.data().warnings())
        .containsExactly("grow.txt: grew while read", "pipe: special file");
    assertThat(decoded.data().recoveryPointId()).isEqualTo(recoveryPoint);
    assertThat(new String(json, StandardCharsets.UTF_8))
        .contains("\"recoveryPointId\":\"" + recoveryPoint + "\"")
        .doesNotContain("\"summary\"");
  }

  @Test
  void eventWithoutWarningsOrRecoveryPoint_omitsTheNewFields_asEventsBeforeThemDid() {
    JobEvent event =
        JobEvent.jobEnded(
            UUID.randomUUID(),
            Instant.now(),
            sourceBackupSucceeded().withJobContext(List.of(), null, null, null));

    String json = new String(codec.encode(event), StandardCharsets.UTF_8);

    assertThat(json)
        .doesNotContain("warningCount")
        .doesNotContain("warnings")
        .doesNotContain("recoveryPointId")
        .doesNotContain("summary");
    assertThat(codec.decodeEvent(json.getBytes(StandardCharsets.UTF_8)).data().warnings()).isNull();
  }

  @Test
  void copies_travelInTheEvent_andPassTheSchema_andAreAbsentWithoutThem() {
    JobEvent.Copies copies = localAndDrive("FAILED", "HTTP 403 from Drive");
    JobEvent event =
        JobEvent.jobEnded(
            UUID.randomUUID(), Instant.now(), sourceBackupSucceeded().withCopies(copies));

    byte[] json = codec.encode(event);
    JobEvent decoded = codec.decodeEvent(json);

    assertThat(decoded).isEqualTo(event);
    assertThat(decoded.data().copies())
        .isEqualTo(new JobEvent.Copies(1, 2, true, copies.storages()));
    assertThat(new String(json, StandardCharsets.UTF_8))
        .contains("\"copies\":{\"available\":1,\"total\":2,\"degraded\":true")
        .contains("{\"storage\":\"local\",\"status\":\"AVAILABLE\"}");
    String unknownStatus =
        new String(json, StandardCharsets.UTF_8).replace("\"FAILED\"", "\"BROKEN\"");
    assertThatThrownBy(() -> codec.decodeEvent(unknownStatus.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidMessageException.class);
    assertThat(
            new String(
                codec.encode(
                    JobEvent.jobEnded(UUID.randomUUID(), Instant.now(), sourceBackupSucceeded())),
                StandardCharsets.UTF_8))
        .doesNotContain("copies");
    assertThatThrownBy(() -> new JobEvent.Copies(2, 2, true, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** An available local copy and a Drive copy in {@code driveStatus}. */
  static JobEvent.Copies localAndDrive(String driveStatus, @Nullable String driveError) {
    return JobEvent.Copies.of(
        List.of(
            new JobEvent.Copy("local", "AVAILABLE", null),
            new JobEvent.Copy("gdrive", driveStatus, driveError)));
  }

  @Test
  void backupDegradedAndRepaired_passTheSchema_andNeedTheCopies() {
    JobEvent.Copies degraded = localAndDrive("CORRUPT", "stored sha256 check failed");
    JobEvent.Copies repaired = localAndDrive("AVAILABLE", null);

    JobEvent down =
        JobEvent.copiesChanged(
            UUID.randomUUID(), Instant.now(), sourceBackupSucceeded().withCopies(degraded));
    JobEvent up =
        JobEvent.copiesChanged(
            UUID.randomUUID(), Instant.now(), sourceBackupSucceeded().withCopies(repaired));

    assertThat(down.type()).isEqualTo("backup.degraded");
    assertThat(up.type()).isEqualTo("backup.repaired");
    assertThat(codec.decodeEvent(codec.encode(down))).isEqualTo(down);
    assertThat(codec.decodeEvent(codec.encode(up))).isEqualTo(up);
    assertThatThrownBy(
            () -> JobEvent.copiesChanged(UUID.randomUUID(), Instant.now(), sourceBackupSucceeded()))
        .hasMessageContaining("needs the copies");
    String withoutCopies =
        new String(codec.encode(down), StandardCharsets.UTF_8)
            .replaceAll(",\"copies\":\\{.*\\]\\}", "");
    assertThat(withoutCopies).doesNotContain("copies");
    assertThatThrownBy(() -> codec.decodeEvent(withoutCopies.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidMessageException.class);
  }

  @Test
  void eventWithManyWarnings_carriesTheFirstTwenty_andTheirCount() {
    List<String> many = IntStream.range(0, 1000).mapToObj(i -> "file-" + i + ": vanished").toList();

    JobEvent event =
        JobEvent.jobEnded(
            UUID.randomUUID(),
            Instant.now(),
            sourceBackupSucceeded().withJobContext(many, null, "a summary", null));
    JobEvent decoded = codec.decodeEvent(codec.encode(event));

    assertThat(decoded.data().warningCount()).isEqualTo(1000);
    assertThat(decoded.data().warnings()).hasSize(20).startsWith("file-0: vanished");
    assertThat(decoded.data().summary()).isEqualTo("a summary");
  }

  @Test
  void eventWithAWarningCountOfZero_breaksTheSchema_becauseAbsentMeansNone() {
    String json =
        """
        {"schemaVersion":1,"id":"0b5e6a47-6c3f-4a7e-9a55-0c7f8d2b8f10","type":"job.succeeded",
         "occurredAt":"2026-11-26T10:16:41.120Z","data":{"jobId":"8d7a1a3e-4f0e-4c55-9d43-0b0f1f7f7b21",
         "jobType":"BACKUP_SOURCE","target":"default","status":"SUCCEEDED","trigger":"API",
         "attempts":1,"warningCount":0}}
        """;

    assertThatThrownBy(() -> codec.decodeEvent(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("warningCount");
  }

  @Test
  void sourceRestoreCommand_carriesItsDirectoryAndConfirmation_andOtherCommandsOmitThem() {
    BackupCommand restore =
        BackupCommand.sourceRestore(
            UUID.randomUUID(),
            "default",
            TriggerSource.MESSAGE,
            "ops",
            Instant.parse("2026-11-26T10:15:30Z"),
            UUID.randomUUID(),
            "/srv/restored/app",
            "default");
    BackupCommand backup =
        BackupCommand.of(
            UUID.randomUUID(),
            JobType.BACKUP_SOURCE,
            "default",
            TriggerSource.API,
            null,
            Instant.parse("2026-11-26T10:15:30Z"));

    String restoreJson = new String(codec.encode(restore), StandardCharsets.UTF_8);
    String backupJson = new String(codec.encode(backup), StandardCharsets.UTF_8);

    assertThat(codec.decodeCommand(restoreJson.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(restore);
    assertThat(restoreJson)
        .contains("\"directory\":\"/srv/restored/app\"")
        .contains("\"overwriteLiveTree\":\"default\"");
    assertThat(backupJson).doesNotContain("directory").doesNotContain("overwriteLiveTree");
    assertThatThrownBy(
            () ->
                new BackupCommand(
                    BackupCommand.SCHEMA_VERSION,
                    UUID.randomUUID(),
                    JobType.RESTORE_SOURCE,
                    "default",
                    TriggerSource.API,
                    null,
                    Instant.now(),
                    UUID.randomUUID()))
        .hasMessageContaining("needs directory");
  }

  private static ScheduleEvent scheduleMissed(String outcome, List<UUID> jobIds) {
    return ScheduleEvent.missed(
        UUID.randomUUID(),
        Instant.parse("2026-11-30T05:10:00Z"),
        new ScheduleEvent.Data(
            UUID.randomUUID(),
            "hourly-db",
            "database",
            "default",
            4,
            Instant.parse("2026-11-30T01:00:00Z"),
            Instant.parse("2026-11-30T04:00:00Z"),
            outcome,
            jobIds,
            3600,
            "coalesced into one run for 2026-11-30T05:00:00Z"));
  }

  @Test
  void scheduleMissed_roundTrips_throughTheEventSchema() {
    ScheduleEvent event = scheduleMissed(ScheduleEvent.COALESCED, List.of(UUID.randomUUID()));

    byte[] json = codec.encode(event);

    assertThat(codec.decodeScheduleEvent(json)).isEqualTo(event);
    assertThat(new String(json, StandardCharsets.UTF_8))
        .contains("\"type\":\"schedule.missed\"")
        .contains("\"missedCount\":4");
  }

  @Test
  void scheduleMissed_withJobDataOrAnUnknownOutcome_breaksTheSchema() {
    String json =
        new String(
            codec.encode(scheduleMissed(ScheduleEvent.MISSED, List.of())), StandardCharsets.UTF_8);

    assertThatThrownBy(
            () ->
                codec.decodeScheduleEvent(
                    json.replace("\"MISSED\"", "\"LATE\"").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("breaks its schema");
    // a job event's data under the schedule.missed type
    String jobData =
        new String(
                codec.encode(
                    JobEvent.jobEnded(UUID.randomUUID(), Instant.now(), sourceBackupSucceeded())),
                StandardCharsets.UTF_8)
            .replace("\"job.succeeded\"", "\"schedule.missed\"");
    assertThatThrownBy(() -> codec.decodeScheduleEvent(jobData.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("breaks its schema");
  }

  @Test
  void aScheduleEvent_readAsAJobEvent_isRefusedSayingWhatItIs_andTheOtherWayRound() {
    byte[] scheduleEvent = codec.encode(scheduleMissed(ScheduleEvent.MISSED, List.of()));
    byte[] jobEvent =
        codec.encode(JobEvent.jobEnded(UUID.randomUUID(), Instant.now(), sourceBackupSucceeded()));

    assertThatThrownBy(() -> codec.decodeEvent(scheduleEvent))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("'schedule.missed' event; read it as a schedule event");
    assertThatThrownBy(() -> codec.decodeScheduleEvent(jobEvent))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("'job.succeeded' event; read it as a job event");
  }

  @Test
  void endpointDisabledEvent_passesTheSchema_andAJobEventWithItsDataDoesNot() {
    WebhookEndpointDisabledEvent event =
        WebhookEndpointDisabledEvent.of(
            UUID.randomUUID(),
            Instant.parse("2026-11-26T10:00:00Z"),
            new WebhookEndpointDisabledEvent.Data(
                UUID.randomUUID(), "hooks.example.com", null, "it answered 410 Gone", 0, null));
    byte[] body = codec.encode(event);

    codec.validateEvent(body);
    String asJobEvent =
        new String(body, StandardCharsets.UTF_8)
            .replace(WebhookEndpointDisabledEvent.TYPE, JobEvent.JOB_FAILED);
    assertThatThrownBy(() -> codec.validateEvent(asJobEvent.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("breaks its schema");
  }
}
