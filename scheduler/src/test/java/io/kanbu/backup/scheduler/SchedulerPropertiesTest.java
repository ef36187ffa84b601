package io.kanbu.backup.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class SchedulerPropertiesTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(SchedulerProperties.class)
  static class Bound {}

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
          .withUserConfiguration(Bound.class);

  @Test
  void nothingSet_bindsTheDocumentedDefaults() {
    runner.run(
        context ->
            assertThat(context.getBean(SchedulerProperties.class))
                .isEqualTo(
                    new SchedulerProperties(
                        Duration.ofSeconds(15),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(10),
                        "both",
                        Duration.ofSeconds(5),
                        Duration.ofHours(1),
                        3,
                        Duration.ofMinutes(15),
                        "")));
  }

  @Test
  void environmentStyleValues_areBound() {
    runner
        .withPropertyValues(
            "kanbu.scheduler.reaper-interval=1m",
            "kanbu.scheduler.relay-interval=500ms",
            "kanbu.scheduler.relay-grace=0s",
            "kanbu.scheduler.confirm-timeout=3s")
        .run(
            context -> {
              SchedulerProperties properties = context.getBean(SchedulerProperties.class);
              assertThat(properties.reaperInterval()).isEqualTo(Duration.ofMinutes(1));
              assertThat(properties.relayInterval()).isEqualTo(Duration.ofMillis(500));
              assertThat(properties.relayGrace()).isZero();
              assertThat(properties.confirmTimeout()).isEqualTo(Duration.ofSeconds(3));
            });
  }

  @Test
  void documentedEnvironmentVariables_areBound() {
    runner
        .withInitializer(
            context ->
                context
                    .getEnvironment()
                    .getPropertySources()
                    .addFirst(
                        new SystemEnvironmentPropertySource(
                            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            Map.of(
                                "KANBU_SCHEDULER_REAPER_INTERVAL", "45s",
                                "KANBU_SCHEDULER_RELAY_INTERVAL", "1s",
                                "KANBU_SCHEDULER_RELAY_GRACE", "7s",
                                "KANBU_SCHEDULER_CONFIRM_TIMEOUT", "4s",
                                "KANBU_SCHEDULER_MODE", "external",
                                "KANBU_SCHEDULER_SCHEDULE_INTERVAL", "1s",
                                "KANBU_SCHEDULER_MISFIRE_GRACE", "30m",
                                "KANBU_SCHEDULER_MAX_ATTEMPTS", "5",
                                "KANBU_SCHEDULER_COMMAND_STALE_AFTER", "20m",
                                "KANBU_SCHEDULER_INSTANCE_ID", "sched-a"))))
        .run(
            context ->
                assertThat(context.getBean(SchedulerProperties.class))
                    .isEqualTo(
                        new SchedulerProperties(
                            Duration.ofSeconds(45),
                            Duration.ofSeconds(1),
                            Duration.ofSeconds(7),
                            Duration.ofSeconds(4),
                            "external",
                            Duration.ofSeconds(1),
                            Duration.ofMinutes(30),
                            5,
                            Duration.ofMinutes(20),
                            "sched-a")));
  }

  @Test
  void tooShortInterval_failsStartup_namingTheEnvironmentVariable() {
    runner
        .withPropertyValues("kanbu.scheduler.reaper-interval=10ms")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("reaperInterval")
                    .hasMessageContaining("KANBU_SCHEDULER_REAPER_INTERVAL"));
  }

  @Test
  void anUnknownMode_failsStartup_namingTheVariableAndTheValues() {
    runner
        .withPropertyValues("kanbu.scheduler.mode=sometimes")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("BACKUP_SCHEDULER_MODE is 'sometimes'")
                    .hasMessageContaining("internal, external or both"));
  }

  @Test
  void negativeMisfireGrace_failsStartup_namingTheEnvironmentVariable() {
    runner
        .withPropertyValues("kanbu.scheduler.misfire-grace=-1m")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("KANBU_SCHEDULER_MISFIRE_GRACE"));
  }

  @Test
  void negativeGrace_failsStartup_namingTheEnvironmentVariable() {
    runner
        .withPropertyValues("kanbu.scheduler.relay-grace=-1s")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("KANBU_SCHEDULER_RELAY_GRACE"));
  }
}
