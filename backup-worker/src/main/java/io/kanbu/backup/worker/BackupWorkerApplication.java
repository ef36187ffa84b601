package io.kanbu.backup.worker;

import io.kanbu.backup.core.pipeline.GzipEngine;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.worker.config.NativeCrypto;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The worker app. Every setting is an environment variable; see application.yml. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@EntityScan(basePackageClasses = BackupJob.class)
@EnableJpaRepositories(basePackageClasses = BackupJobRepository.class)
public class BackupWorkerApplication {

  public static void main(String[] args) {
    // before anything asks for a cipher or a digest; logged once the app's logging is set up
    NativeCrypto.install(System.getenv(NativeCrypto.SETTING));
    GzipEngine.select(System.getenv(GzipEngine.SETTING));
    SpringApplication.run(BackupWorkerApplication.class, args);
  }
}
