package io.kanbu.backup.gateway.config;

import io.kanbu.backup.core.storage.StorageBackend;
import io.kanbu.backup.core.storage.StorageSet;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The storages backups are downloaded from ({@code BACKUP_STORAGE}, the primary first). The gateway
 * only reads ({@code open}, {@code stat}); retry and metrics decorators join here when more
 * backends arrive.
 */
@Configuration(proxyBeanMethods = false)
public class StorageConfiguration {

  @Bean
  StorageSet storageSet(GatewayProperties properties) {
    return StorageSet.open(properties.storage().all());
  }

  /** The primary storage. */
  @Bean
  StorageBackend storageBackend(StorageSet storages) {
    return storages.primary();
  }
}
