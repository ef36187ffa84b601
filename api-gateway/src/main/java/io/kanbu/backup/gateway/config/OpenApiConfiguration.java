package io.kanbu.backup.gateway.config;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /v3/api-docs}. Either security scheme is enough: both carry the
 * same key ({@code BACKUP_TRIGGER_API_KEY}).
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
    info =
        @Info(
            title = "Kanbu Backup API",
            version = "v1",
            description =
                "Trigger backups, follow their jobs, list and download backups. Errors are RFC 7807"
                    + " problem documents (application/problem+json)."),
    security = {
      @SecurityRequirement(name = OpenApiConfiguration.BEARER),
      @SecurityRequirement(name = OpenApiConfiguration.BACKUP_KEY_HEADER)
    })
@SecurityScheme(
    name = OpenApiConfiguration.BEARER,
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description = "The API key (BACKUP_TRIGGER_API_KEY) as a bearer token.")
@SecurityScheme(
    name = OpenApiConfiguration.BACKUP_KEY_HEADER,
    type = SecuritySchemeType.APIKEY,
    in = SecuritySchemeIn.HEADER,
    paramName = "X-Backup-Key",
    description =
        "The API key (BACKUP_TRIGGER_API_KEY) in the header the original Kanbu clients send.")
public class OpenApiConfiguration {

  /** Name of the bearer security scheme. */
  public static final String BEARER = "bearerKey";

  /** Name of the {@code X-Backup-Key} security scheme. */
  public static final String BACKUP_KEY_HEADER = "backupKeyHeader";
}
