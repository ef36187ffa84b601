package io.kanbu.backup.model.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobStatusTest {

  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @CsvSource({
    "QUEUED, RUNNING, true",
    "QUEUED, CANCELLED, true",
    "QUEUED, SUCCEEDED, false",
    "RUNNING, SUCCEEDED, true",
    "RUNNING, FAILED, true",
    "RUNNING, QUEUED, true",
    "RUNNING, RUNNING, true",
    "SUCCEEDED, RUNNING, false",
    "SUCCEEDED, FAILED, false",
    "FAILED, QUEUED, false",
    "CANCELLED, RUNNING, false",
  })
  void transitionTable(JobStatus from, JobStatus to, boolean allowed) {
    assertThat(from.canTransitionTo(to)).isEqualTo(allowed);
  }

  @ParameterizedTest
  @CsvSource({
    "QUEUED, false",
    "RUNNING, false",
    "SUCCEEDED, true",
    "FAILED, true",
    "CANCELLED, true"
  })
  void finalStates(JobStatus status, boolean isFinal) {
    assertThat(status.isFinal()).isEqualTo(isFinal);
  }
}
