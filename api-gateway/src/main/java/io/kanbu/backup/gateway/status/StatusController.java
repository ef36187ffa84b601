package io.kanbu.backup.gateway.status;

import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.storage.StorageSet;
import io.kanbu.backup.gateway.config.GatewayProperties;
import io.kanbu.backup.model.catalog.BackupCopyRepository;
import io.kanbu.backup.model.catalog.BackupJobRepository;
import io.kanbu.backup.model.catalog.BackupRecordRepository;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/status}: the operator's overview (same key as the rest of the API). */
@RestController
@Tag(name = "status", description = "Storage, PostgreSQL modes, scheduler, encryption, counts")
public class StatusController {

  private final StatusReporter reporter;

  public StatusController(
      StatusProperties status,
      GatewayProperties gateway,
      Environment environment,
      BackupRecordRepository backups,
      BackupJobRepository jobs,
      BackupCopyRepository copies,
      StorageSet storages) {
    Set<String> targets = new TreeSet<>(gateway.targetNames());
    this.reporter =
        new StatusReporter(
            status,
            gateway.schedules().schedulerMode().configName(),
            gateway.storage().all(),
            storages,
            copies,
            targets,
            name -> {
              String url =
                  name.equals(GatewayProperties.DEFAULT_TARGET)
                      ? environment.getProperty("DATABASE_URL")
                      : gateway.targets().get(name) == null
                          ? null
                          : gateway.targets().get(name).databaseUrl();
              return url != null && !url.isBlank();
            },
            isSet(environment.getProperty(Keyring.ENV_KEY))
                || isSet(environment.getProperty(Keyring.ENV_KEYRING_FILE)),
            primaryKeyId(environment),
            backups,
            jobs);
  }

  /**
   * The id new backups are wrapped with, as the workers derive it from the same variables ({@link
   * Keyring#fromEnvironment}); a keyring file is not read here, so its first id stays unknown.
   */
  private static @Nullable String primaryKeyId(Environment environment) {
    if (!isSet(environment.getProperty(Keyring.ENV_KEY))) {
      return null;
    }
    String id = environment.getProperty(Keyring.ENV_KEY_ID);
    return isSet(id) ? id.strip() : Keyring.DEFAULT_PRIMARY_ID;
  }

  private static boolean isSet(@Nullable String value) {
    return value != null && !value.isBlank();
  }

  @GetMapping(path = "/api/v1/status", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "The backup system's status",
      description =
          "Storage type, location and whether it is writable; per target the PostgreSQL mode and"
              + " what this host sees (pg_dump, DATABASE_URL set, docker, container) and the mode"
              + " its last database job used; scheduler mode; encryption on or off, the primary key's id and the key id of the newest"
              + " encrypted backup; backup counts."
              + " Never shows a URL, password or key.")
  public StatusReport status() {
    return reporter.report();
  }
}
