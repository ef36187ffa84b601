package io.kanbu.backup.gateway;

import io.kanbu.backup.gateway.access.AccessProperties;
import io.kanbu.backup.gateway.config.GatewayProperties;
import io.kanbu.backup.gateway.mcp.McpProperties;
import io.kanbu.backup.gateway.security.oidc.OidcProperties;
import io.kanbu.backup.gateway.status.StatusProperties;
import io.kanbu.backup.gateway.webhooks.WebhookApiProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The HTTP gateway: external trigger, API for jobs and backups, downloads, and the operations
 * dashboard with its users, roles and audit log.
 */
@SpringBootApplication
@EnableConfigurationProperties({
  GatewayProperties.class,
  AccessProperties.class,
  StatusProperties.class,
  WebhookApiProperties.class,
  McpProperties.class,
  OidcProperties.class
})
public class GatewayApplication {

  public static void main(String[] args) {
    SpringApplication.run(GatewayApplication.class, args);
  }
}
