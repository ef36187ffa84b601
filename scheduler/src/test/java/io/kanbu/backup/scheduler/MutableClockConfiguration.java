package io.kanbu.backup.scheduler;

import java.time.Instant;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** Replaces the scheduler's clock with one the test moves; it starts at the real now. */
@TestConfiguration
class MutableClockConfiguration {

  @Bean
  @Primary
  MutableClock testClock() {
    return new MutableClock(Instant.now());
  }
}
