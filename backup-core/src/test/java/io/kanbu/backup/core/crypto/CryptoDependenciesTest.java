package io.kanbu.backup.core.crypto;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CryptoDependenciesTest {

  private final JavaClasses crypto = importMainClasses();

  // Importing the package's own class directory, without resolving every referenced class from
  // the jars, keeps this test fast (the rules only look at the names of the dependencies).
  private static JavaClasses importMainClasses() {
    ArchConfiguration configuration = ArchConfiguration.get();
    boolean resolve = configuration.resolveMissingDependenciesFromClassPath();
    configuration.setResolveMissingDependenciesFromClassPath(false);
    try {
      return new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPath(
              Path.of(
                      EnvelopeEncryption.class
                          .getProtectionDomain()
                          .getCodeSource()
                          .getLocation()
                          .toURI())
                  .resolve("io/kanbu/backup/core/crypto"));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    } finally {
      configuration.setResolveMissingDependenciesFromClassPath(resolve);
    }
  }

  @Test
  void cryptoPackage_usesNeitherSpringNorAmqp() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "com.rabbitmq..", "jakarta.persistence..")
        .check(crypto);
  }

  @Test
  void importedTheProductionClasses() {
    assertThat(crypto.contain(EnvelopeEncryption.class)).isTrue();
    assertThat(crypto.contain(CryptoFixtures.class)).isFalse();
  }

  @Test
  void onlyTheEnvelope_touchesJcaCiphers() {
    // The data is encrypted by Tink only; JCA Cipher is allowed for the 32-byte key wrap.
    noClasses()
        .that()
        .doNotHaveSimpleName("EnvelopeEncryption")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("javax.crypto.Cipher")
        .check(crypto);
  }
}
