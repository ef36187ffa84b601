package io.kanbu.backup.scheduler;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Boots the scheduler: cron schedules, lease reaper and outbox relays. */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(SchedulerProperties.class)
@EntityScan("io.kanbu.backup.model.catalog")
@EnableJpaRepositories("io.kanbu.backup.model.catalog")
public class SchedulerApplication {

  /** The time source of leases, grace periods and event timestamps; tests replace it. */
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  public static void main(String[] args) {
    SpringApplication.run(SchedulerApplication.class, args);
  }
}
