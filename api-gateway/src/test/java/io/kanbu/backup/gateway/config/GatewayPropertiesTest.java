package io.kanbu.backup.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.model.schedule.SchedulerMode;
import java.time.ZoneId;
import java.util.Map;
import org.assertj.core.util.Throwables;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class GatewayPropertiesTest {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withUserConfiguration(PropertiesOnly.class);

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(GatewayProperties.class)
  static class PropertiesOnly {}

  @Test
  void missingApiKey_failsStartup_sayingWhichVariableAndHowToGenerateOne() {
    runner
        .withPropertyValues("kanbu.trigger.api-key=")
        .run(
            context -> {
              assertThat(context).hasFailed();
              String messages = allMessages(context.getStartupFailure());
              assertThat(messages).contains("BACKUP_TRIGGER_API_KEY", "openssl rand -hex 32");
            });
  }

  @Test
  void noTriggerSettingsAtAll_failsStartup_namingTheVariable() {
    runner.run(
        context -> {
          assertThat(context).hasFailed();
          assertThat(allMessages(context.getStartupFailure())).contains("BACKUP_TRIGGER_API_KEY");
        });
  }

  @Test
  void anInvalidTargetName_failsStartup_namingIt() {
    runner
        .withPropertyValues(
            "kanbu.trigger.api-key=secret-key",
            "kanbu.targets.Prod_DB!.database-url=postgresql://x")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(allMessages(context.getStartupFailure())).contains("target name");
            });
  }

  @Test
  void anotherStorage_failsStartup_namingTheVariable() {
    runner
        .withPropertyValues("kanbu.trigger.api-key=secret-key", "kanbu.storage.type=gdrive")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(allMessages(context.getStartupFailure())).contains("BACKUP_STORAGE");
            });
  }

  @Test
  void validSettings_bindWithDefaults_andKeepTheKeyOutOfToString() {
    runner
        .withPropertyValues(
            "kanbu.trigger.api-key=secret-key-123",
            "kanbu.targets.prod.database-url=postgresql://u:pw@db/prod",
            "kanbu.targets.staging.database-url=postgresql://u:pw@db/staging")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              GatewayProperties properties = context.getBean(GatewayProperties.class);
              assertThat(properties.targetNames()).containsExactly("default", "prod", "staging");
              assertThat(properties.trigger().maxWait().toSeconds()).isEqualTo(3600);
              assertThat(properties.trigger().waitPollInterval().toMillis()).isEqualTo(250);
              assertThat(properties.outbox().relayInterval().toSeconds()).isEqualTo(2);
              assertThat(properties.outbox().grace().toSeconds()).isEqualTo(5);
              assertThat(properties.storage().type()).isEqualTo("local");
              assertThat(properties.storage().localPath().toString()).isEqualTo("/data/backups");
              assertThat(properties.toString()).doesNotContain("secret-key-123", "pw@");
              // both: the original Kanbu's trigger worked in every mode, so existing cron+curl
              // setups keep working while schedules fire
              assertThat(properties.schedules().schedulerMode()).isEqualTo(SchedulerMode.BOTH);
              assertThat(properties.schedules().timeZone()).isEqualTo(ZoneId.of("UTC"));
            });
  }

  @Test
  void anUnknownSchedulerMode_failsStartup_namingTheVariableAndTheValues() {
    runner
        .withPropertyValues("kanbu.trigger.api-key=secret-key", "kanbu.schedules.mode=sometimes")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(allMessages(context.getStartupFailure()))
                  .contains("BACKUP_SCHEDULER_MODE is 'sometimes'", "internal, external or both");
            });
  }

  @Test
  void anUnknownCronTimeZone_failsStartup_namingTheVariable() {
    runner
        .withPropertyValues(
            "kanbu.trigger.api-key=secret-key", "kanbu.schedules.default-time-zone=Mars/Olympus")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(allMessages(context.getStartupFailure()))
                  .contains("BACKUP_CRON_TIMEZONE", "unknown time zone 'Mars/Olympus'");
            });
  }

  @Test
  void targetsFromEnvironmentVariables_areKnownByName() {
    runner
        .withInitializer(
            context ->
                context
                    .getEnvironment()
                    .getPropertySources()
                    .addFirst(
                        new SystemEnvironmentPropertySource(
                            "test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            Map.of(
                                "KANBU_TRIGGER_APIKEY", "env-key",
                                "KANBU_TARGETS_SHOP_DATABASE_URL", "postgresql://u@db/shop",
                                "KANBU_TARGETS_CRM_SOURCE_PATH", "/srv/crm"))))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context.getBean(GatewayProperties.class).targetNames())
                  .containsExactly("crm", "default", "shop");
            });
  }

  private static String allMessages(Throwable failure) {
    StringBuilder messages = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    return messages + Throwables.getStackTrace(failure);
  }
}
