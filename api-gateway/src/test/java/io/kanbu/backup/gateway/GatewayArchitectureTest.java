package io.kanbu.backup.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the gateway's features apart and its use of backup-core to reading storage. */
class GatewayArchitectureTest {

  private static final JavaClasses GATEWAY =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.kanbu.backup.gateway");

  @Test
  void theGateway_onlyReadsStorage_andNeverRunsBackupsItself() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..gateway.status..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.kanbu.backup.core.pipeline..",
            "io.kanbu.backup.core.source..",
            "io.kanbu.backup.core.naming..")
        .because("backups run in the worker; the gateway only streams stored objects")
        .check(GATEWAY);
  }

  @Test
  void theStatusReport_onlyProbes_itNeverDumps() {
    noClasses()
        .that()
        .resideInAPackage("..gateway.status..")
        .should()
        .dependOnClassesThat()
        .haveSimpleNameStartingWith("PgDumpSource")
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.kanbu.backup.core.pipeline..",
            "io.kanbu.backup.core.source.tar..",
            "io.kanbu.backup.core.naming..")
        .because("the status report runs only --version and docker ps")
        .check(GATEWAY);
  }

  @Test
  void sharedApiConventions_dependOnNoFeature() {
    noClasses()
        .that()
        .resideInAPackage("..gateway.api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "..gateway.trigger..",
            "..gateway.jobs..",
            "..gateway.backups..",
            "..gateway.security..",
            "..gateway.config..")
        .check(GATEWAY);
  }

  @Test
  void features_doNotReachIntoAuthentication() {
    noClasses()
        .that()
        .resideInAnyPackage("..gateway.trigger..", "..gateway.jobs..", "..gateway.backups..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..gateway.security..")
        .because("authentication is a filter in front of every feature")
        .check(GATEWAY);
  }

  @Test
  void readFeatures_doNotDependOnTheTrigger() {
    noClasses()
        .that()
        .resideInAnyPackage("..gateway.jobs..", "..gateway.backups..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..gateway.trigger..")
        .check(GATEWAY);
  }

  @Test
  void onlyConfiguration_touchesSpringAmqp() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..gateway.config..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.springframework.amqp..")
        .because("features publish through the shared outbox relay, not a RabbitTemplate")
        .check(GATEWAY);
  }
}
