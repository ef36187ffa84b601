package io.kanbu.backup.gateway.config;

import io.kanbu.backup.core.storage.StorageBackend;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The storage backups are downloaded from. The gateway only reads ({@code open}, {@code stat});
 * retry and metrics decorators join here when more backends arrive.
 */
@Configuration(proxyBeanMethods = false)
public class StorageConfiguration {

  @Bean
  StorageBackend storageBackend(GatewayProperties properties) {
    return properties.storage().settings().open();
  }
}
