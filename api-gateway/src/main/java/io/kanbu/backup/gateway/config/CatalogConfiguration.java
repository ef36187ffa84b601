package io.kanbu.backup.gateway.config;

import io.kanbu.backup.gateway.access.DashboardUser;
import io.kanbu.backup.gateway.audit.AuditEvent;
import io.kanbu.backup.model.catalog.BackupJob;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import java.time.Clock;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * The catalog's shared entities and repositories live in shared-model; users, tokens and the audit
 * log are the gateway's own (their tables are in the same migrations).
 */
@Configuration(proxyBeanMethods = false)
@EntityScan(basePackageClasses = {BackupJob.class, DashboardUser.class, AuditEvent.class})
@EnableJpaRepositories(
    basePackageClasses = {BackupJobRepository.class, DashboardUser.class, AuditEvent.class})
public class CatalogConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
