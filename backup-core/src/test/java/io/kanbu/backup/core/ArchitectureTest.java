package io.kanbu.backup.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

  private static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.kanbu.backup.core");
  }

  @Test
  void core_isFreeOfSpringAndAmqp() {
    noClasses()
        .that()
        .resideInAPackage("io.kanbu.backup.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "com.rabbitmq..", "org.springframework.amqp..")
        .check(core);
  }

  @Test
  void storage_knowsNothingOfPipelinesSourcesOrJobs() {
    noClasses()
        .that()
        .resideInAPackage("io.kanbu.backup.core.storage..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.kanbu.backup.core.pipeline..",
            "io.kanbu.backup.core.source..",
            "io.kanbu.backup.core.job..",
            "io.kanbu.backup.model..")
        .check(core);
  }

  @Test
  void pipelineStages_doNotReachForStorageOrSources() {
    noClasses()
        .that()
        .resideInAPackage("io.kanbu.backup.core.pipeline..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.kanbu.backup.core.storage..", "io.kanbu.backup.core.source..")
        .check(core);
  }

  @Test
  void restore_isIndependentOfTheCatalog() {
    // the offline CLI restores from storage and manifests alone
    noClasses()
        .that()
        .resideInAPackage("io.kanbu.backup.core.restore..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.kanbu.backup.model..")
        .check(core);
  }
}
