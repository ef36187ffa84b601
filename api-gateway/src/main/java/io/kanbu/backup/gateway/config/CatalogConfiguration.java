package io.kanbu.backup.gateway.config;

import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import java.time.Clock;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/** The catalog's entities and repositories live in shared-model. */
@Configuration(proxyBeanMethods = false)
@EntityScan(basePackageClasses = BackupJob.class)
@EnableJpaRepositories(basePackageClasses = BackupJobRepository.class)
public class CatalogConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
