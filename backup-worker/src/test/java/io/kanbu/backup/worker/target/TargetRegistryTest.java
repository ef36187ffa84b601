package io.kanbu.backup.worker.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetRegistryTest {

  private static TargetRegistry registry(Map<String, TargetsProperties.Target> targets) {
    return new TargetRegistry(new TargetsProperties(targets));
  }

  @Test
  void defaultAndNamedTargets_areParsed() {
    TargetRegistry registry =
        registry(
            Map.of(
                "default",
                new TargetsProperties.Target(
                    "postgresql://app:pw@db:5432/app", null, null, null, null, null, null, null),
                "billing",
                new TargetsProperties.Target(
                    "jdbc:postgresql://bdb/billing?user=b",
                    null,
                    null,
                    null,
                    "postgresql://drill@scratch-db:5433/postgres",
                    null,
                    null,
                    null)));

    assertThat(registry.database("default"))
        .hasValueSatisfying(
            t -> {
              assertThat(t.connection().host()).isEqualTo("db");
              assertThat(t.urlSetting()).isEqualTo("DATABASE_URL");
              assertThat(t.drillConnection()).isSameAs(t.connection());
            });
    assertThat(registry.database("billing"))
        .hasValueSatisfying(
            t -> {
              assertThat(t.urlSetting()).isEqualTo("KANBU_TARGETS_BILLING_DATABASE_URL");
              assertThat(t.drillConnection().host()).isEqualTo("scratch-db");
              assertThat(t.drillConnection().port()).isEqualTo(5433);
            });
    assertThat(registry.databaseTargetNames()).containsExactly("billing", "default");
  }

  @Test
  void emptyDatabaseUrl_meansNoDatabaseTarget() {
    TargetRegistry registry =
        registry(
            Map.of(
                "default",
                new TargetsProperties.Target("", "/src", null, null, null, null, null, null)));

    assertThat(registry.database("default")).isEmpty();
    assertThat(registry.database("other")).isEmpty();
  }

  @Test
  void malformedUrl_stopsStartup_namingTheVariable_butNotThePassword() {
    assertThatThrownBy(
            () ->
                registry(
                    Map.of(
                        "default",
                        new TargetsProperties.Target(
                            "postgresql://app:Sekr1t@db:port/app",
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null))))
        .hasMessageContaining("DATABASE_URL for target 'default' is invalid")
        .hasMessageContaining("port 'port' is not a number")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Sekr1t"));
  }

  @Test
  void malformedDrillUrl_stopsStartup_namingItsVariable() {
    assertThatThrownBy(
            () ->
                registry(
                    Map.of(
                        "default",
                        new TargetsProperties.Target(
                            "postgresql:///app",
                            null,
                            null,
                            null,
                            "postgresql://d:Pw@h:x/db",
                            null,
                            null,
                            null))))
        .hasMessageContaining("BACKUP_DRILL_DATABASE_URL for target 'default' is invalid")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Pw@"));
  }

  @Test
  void invalidTargetName_stopsStartup() {
    assertThatThrownBy(
            () ->
                registry(
                    Map.of(
                        "Bad Name",
                        new TargetsProperties.Target(
                            "postgresql:///x", null, null, null, null, null, null, null))))
        .hasMessageContaining("target name 'Bad Name'");
  }

  @Test
  void settingNames_followSpringsEnvironmentMapping() {
    assertThat(TargetRegistry.urlSetting("my-db")).isEqualTo("KANBU_TARGETS_MY_DB_DATABASE_URL");
  }
}
