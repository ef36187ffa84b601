package io.kanbu.backup.gateway.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kanbu.backup.gateway.api.ApiProblemException;
import io.kanbu.backup.model.job.JobType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

class TriggerRequestParserTest {

  private final TriggerRequestParser parser =
      new TriggerRequestParser(Set.of("default", "prod"), Duration.ofHours(1));

  @Test
  void databaseType_withoutTarget_isABackupOfTheDefaultTarget() {
    assertThat(parse("{\"type\":\"database\"}"))
        .isEqualTo(new TriggerRequest(JobType.BACKUP_DATABASE, "default"));
  }

  @Test
  void sourceType_isASourceBackup_andAll_isADatabaseAndASourceBackupTogether() {
    assertThat(parse("{\"type\":\"source\"}"))
        .isEqualTo(new TriggerRequest(JobType.BACKUP_SOURCE, "default"));
    TriggerRequest all = parse("{\"type\":\"all\",\"target\":\"prod\"}");
    assertThat(all.types()).containsExactly(JobType.BACKUP_DATABASE, JobType.BACKUP_SOURCE);
    assertThat(all.target()).isEqualTo("prod");
    assertThat(all.recoveryPoint()).isTrue();
  }

  @Test
  void aConfiguredTarget_isKept() {
    assertThat(parse("{\"type\":\"database\",\"target\":\"prod\"}").target()).isEqualTo("prod");
    assertThat(parse("{\"target\":null,\"type\":\"database\"}").target()).isEqualTo("default");
  }

  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''                                            | body   | the request body is empty",
        "'   '                                         | body   | the request body is empty",
        "{\"type\":                                    | body   | not valid JSON",
        "\"database\"                                  | body   | must be a JSON object",
        "{\"type\":\"database\",\"type\":\"source\"}   | body   | not valid JSON",
        "{}                                            | type   | field 'type' is required; allowed values: all, database, source",
        "{\"type\":null}                               | type   | field 'type' is required",
        "{\"type\":[\"database\"]}                     | type   | must be a string",
        "{\"type\":\"Database\"}                       | type   | type 'Database' is not supported; allowed values: all, database, source",
        "{\"type\":\"database\",\"target\":\"staging\"}| target | target 'staging' is not configured; configured targets: default, prod",
        "{\"type\":\"database\",\"target\":7}          | target | must be a string",
        "{\"type\":\"database\",\"dump\":\"all\"}      | dump   | unknown field 'dump'; allowed fields: target, type"
      })
  void badBodies_areRefusedNamingTheField(String body, String field, String detail) {
    assertBadRequest(() -> parse(body), field, detail);
  }

  @Test
  void aMissingBody_isRefused() {
    assertBadRequest(() -> parser.parseBody(null), "body", "empty");
  }

  @ParameterizedTest
  @CsvSource({"0, 0", "1, 1", "3600, 3600", "' 30 ', 30"})
  void waitInRange_isRead(String wait, long seconds) {
    assertThat(parser.parseWait(wait)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @Test
  void noWait_meansDoNotWait() {
    assertThat(parser.parseWait(null)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-1", "3601", "1.5", "ten", "99999999999999999999"})
  void waitOutOfRange_isRefused(String wait) {
    assertBadRequest(
        () -> parser.parseWait(wait), "wait", "whole number of seconds from 0 to 3600");
  }

  @Test
  void idempotencyKeys_upTo200PrintableCharacters_areKept() {
    assertThat(parser.parseIdempotencyKey(null)).isNull();
    assertThat(parser.parseIdempotencyKey("nightly-2026-11-26")).isEqualTo("nightly-2026-11-26");
    assertThat(parser.parseIdempotencyKey("k".repeat(200))).hasSize(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "tab\there", "ünïcode"})
  void idempotencyKeysWithOtherCharacters_areRefused(String key) {
    assertBadRequest(() -> parser.parseIdempotencyKey(key), "Idempotency-Key", "printable ASCII");
  }

  @Test
  void anOverlongIdempotencyKey_isRefused() {
    assertBadRequest(
        () -> parser.parseIdempotencyKey("k".repeat(201)), "Idempotency-Key", "at most 200");
  }

  @Test
  void requestedBy_withoutHeader_isTheAuthenticatedCaller() {
    SecurityContextHolder.getContext()
        .setAuthentication(new TestingAuthenticationToken("alice", null, "ROLE_OPERATOR"));
    try {
      assertThat(TriggerRequestParser.requestedBy(null)).isEqualTo("alice");
      assertThat(TriggerRequestParser.requestedBy(" ")).isEqualTo("alice");
      assertThat(TriggerRequestParser.requestedBy("nightly-ci")).isEqualTo("nightly-ci");
    } finally {
      SecurityContextHolder.clearContext();
    }
  }

  @Test
  void requestedBy_isSanitizedAndBounded() {
    assertThat(TriggerRequestParser.requestedBy(null)).isEqualTo("api-key");
    assertThat(TriggerRequestParser.requestedBy("   ")).isEqualTo("api-key");
    assertThat(TriggerRequestParser.requestedBy("cron@db-1")).isEqualTo("cron@db-1");
    assertThat(TriggerRequestParser.requestedBy("a\u0000b\r\nc\"d'e")).isEqualTo("a_b__c_d_e");
    assertThat(TriggerRequestParser.requestedBy("x".repeat(500))).hasSize(100);
  }

  private TriggerRequest parse(String body) {
    return parser.parseBody(body.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertBadRequest(ThrowingCallable call, String field, String detail) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ApiProblemException.class,
            e -> {
              assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.getMessage()).contains(detail);
              assertThat(Character.isUpperCase(e.getMessage().charAt(0))).isFalse();
            });
  }
}
