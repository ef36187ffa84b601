package io.kanbu.backup.model.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.kanbu.backup.testing.ExternalServices;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * V14 on a catalog that already holds backups: each gets the one copy it has, on its own storage,
 * in its status, with its digest, manifest and verification.
 */
@ExtendWith(ExternalServices.class)
class BackupCopyMigrationIT {

  private static final String DATABASE =
      "kanbu_it_copy_migration" + System.getProperty("kanbu.it.worker-suffix", "");

  @Test
  void existingBackups_getTheirPrimaryCopy() throws Exception {
    ExternalServices.PostgresEndpoint pg = ExternalServices.postgres();
    pg.recreateDatabase(DATABASE);
    Flyway before =
        Flyway.configure()
            .dataSource(pg.jdbcUrl(DATABASE), pg.user(), pg.password())
            .target("12")
            .load();
    before.migrate();
    try (Connection c = pg.connect(DATABASE);
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO backup_job (id, type, status, target, trigger_source, created_at,"
              + " updated_at, max_attempts) VALUES ('11111111-1111-4111-8111-111111111111',"
              + " 'BACKUP_DATABASE', 'QUEUED', 'default', 'API', now(), now(), 3)");
      s.execute(
          "INSERT INTO backup (id, job_id, target, kind, status, storage, object_key, file_name,"
              + " raw_size, compressed_size, stored_size, sha256, sha256_stored, compression,"
              + " created_at, manifest_key, verified_at) VALUES"
              + " ('22222222-2222-4222-8222-222222222222', '11111111-1111-4111-8111-111111111111',"
              + " 'default', 'DATABASE', 'AVAILABLE', 'local', 'default/database/a.sql.gz',"
              + " 'a.sql.gz', 30, 20, 20, repeat('a', 64), repeat('b', 64), 'gzip', now(),"
              + " 'default/database/a.sql.gz.manifest.json', now()),"
              + " ('33333333-3333-4333-8333-333333333333', '11111111-1111-4111-8111-111111111111',"
              + " 'default', 'DATABASE', 'MISSING', 'gdrive', 'default/database/b.sql.gz',"
              + " 'b.sql.gz', 30, 20, 21, repeat('a', 64), repeat('c', 64), 'gzip', now(), null,"
              + " null)");
    }

    Flyway.configure().dataSource(pg.jdbcUrl(DATABASE), pg.user(), pg.password()).load().migrate();

    List<String> copies = new ArrayList<>();
    try (Connection c = pg.connect(DATABASE);
        Statement s = c.createStatement();
        ResultSet rows =
            s.executeQuery(
                "SELECT backup_id, storage, status, object_key, manifest_key, stored_size,"
                    + " left(sha256_stored, 3), verified_at IS NOT NULL FROM backup_copy"
                    + " ORDER BY backup_id")) {
      while (rows.next()) {
        copies.add(
            String.join(
                " ",
                rows.getString(1).substring(0, 4),
                rows.getString(2),
                rows.getString(3),
                rows.getString(4),
                String.valueOf(rows.getString(5)),
                rows.getString(6),
                rows.getString(7),
                rows.getString(8)));
      }
    }
    assertThat(copies)
        .containsExactly(
            "2222 local AVAILABLE default/database/a.sql.gz"
                + " default/database/a.sql.gz.manifest.json 20 bbb t",
            "3333 gdrive MISSING default/database/b.sql.gz null 21 ccc f");
  }
}
