package io.kanbu.backup.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private final JavaClasses worker =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.kanbu.backup.worker");

  @Test
  void targets_knowNothingOfJobsOrMessaging() {
    noClasses()
        .that()
        .resideInAPackage("io.kanbu.backup.worker.target..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.kanbu.backup.worker.job..",
            "io.kanbu.backup.worker.event..",
            "org.springframework.amqp..")
        .check(worker);
  }

  @Test
  void events_doNotReachIntoJobs() {
    noClasses()
        .that()
        .resideInAPackage("io.kanbu.backup.worker.event..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.kanbu.backup.worker.job..")
        .check(worker);
  }
}
