package io.kanbu.backup.cli;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.crypto.EnvelopeEncryption;
import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.crypto.LegacyKanbuDecryptor;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.restore.DatabaseRestore;
import io.kanbu.backup.core.restore.JdbcTargetDatabase;
import io.kanbu.backup.core.restore.PreflightReport;
import io.kanbu.backup.core.restore.RestoreFailedException;
import io.kanbu.backup.core.restore.RestoreOutcome;
import io.kanbu.backup.core.restore.RestoreRefusedException;
import io.kanbu.backup.core.restore.StoredBackup;
import io.kanbu.backup.core.restore.TargetDatabase;
import io.kanbu.backup.core.source.DatabaseConnection;
import io.kanbu.backup.core.source.PgToolLocator;
import io.kanbu.backup.core.storage.local.LocalStorageBackend;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code restore FILE}: the core's {@link DatabaseRestore} on a single file, with the manifest
 * beside it as the record to check against; no catalog, broker or worker.
 */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Restores the database backup FILE into a PostgreSQL database in one go: decrypt,"
          + " decompress (gzip, zstd or none),"
          + " 'psql -X -1 -v ON_ERROR_STOP=1', in one transaction, exactly as a restore job does."
          + " The database is emptied first and replaced; a database that does not exist is"
          + " created (from template0).",
      "Before anything changes, a pre-flight checks the server's version against the backup's, a"
          + " psql at least as new as the server, the key, and the other sessions on the database."
          + " The transaction commits only after the whole file was read, its digests matched the"
          + " manifest (FILE.manifest.json, when present) and every table's row count matched the"
          + " manifest; any error rolls everything back. No safety backup is taken: pg_dump the"
          + " database first if you may need what is in it.",
      "The database URL comes from --database-url, or from the environment variable named by"
          + " --database-url-env (default DATABASE_URL). Its password may come from PGPASSWORD"
          + " instead of the URL; it is never printed."
    })
final class RestoreCommand implements Callable<Integer> {

  static final String DEFAULT_URL_ENV = "DATABASE_URL";
  static final String PASSWORD_ENV = "PGPASSWORD";
  static final String PG_BIN_DIRS_ENV = "KANBU_BACKUP_PG_BIN_DIRS";

  @Spec CommandSpec spec;

  @ParentCommand KanbuBackupCli root;

  @Parameters(
      paramLabel = "FILE",
      description = "The database backup file (.sql.gz, .sql.zst or .sql, each maybe .enc).")
  Path file;

  @Option(
      names = "--database-url",
      paramLabel = "URL",
      description =
          "postgresql://user@host:port/database (or a JDBC URL). Prefer a URL without password"
              + " and PGPASSWORD, or --database-url-env: a password here shows in the process list.")
  @Nullable String databaseUrl;

  @Option(
      names = "--database-url-env",
      paramLabel = "VAR",
      description =
          "Environment variable holding the database URL, when --database-url is not given."
              + " Default: "
              + DEFAULT_URL_ENV
              + ".")
  @Nullable String databaseUrlEnv;

  @Option(
      names = "--database",
      paramLabel = "NAME",
      description =
          "Restore into this database of the same server instead of the URL's (e.g. beside"
              + " production); created like the URL's database when it does not exist.")
  @Nullable String database;

  @Option(
      names = "--confirm",
      paramLabel = "NAME",
      required = true,
      description =
          "The name of the database that will be overwritten or created (the URL's, or"
              + " --database), repeated: otherwise nothing is contacted.")
  String confirm;

  @Option(
      names = "--terminate-connections",
      description = "End the other sessions on the database (otherwise they refuse the restore).")
  boolean terminateConnections;

  @Option(
      names = "--dry-run",
      description = "Run only the pre-flight checks and print their report; change nothing.")
  boolean dryRun;

  @Mixin KeyOptions keys;

  @Override
  public Integer call() throws Exception {
    Map<String, String> env = root.environment();
    Target target = target(env);
    try {
      return restore(env, target);
    } catch (RuntimeException e) {
      // core messages name servers and databases, never URLs; this is the last line of defence
      String message = target.mask(String.valueOf(e.getMessage()));
      if (message.equals(e.getMessage())) {
        throw e;
      }
      throw new CliException(ExitCodes.of(e), message);
    }
  }

  private int restore(Map<String, String> env, Target target) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    BackupFile backup = BackupFile.open(file.toAbsolutePath());
    List<String> notes = new ArrayList<>();
    StoredBackup stored = storedBackup(backup, notes);
    Keyring keyring = keyring(env, backup);

    out.println(
        "restoring '"
            + backup.path()
            + "' ("
            + backup.description()
            + ") into database '"
            + target.database()
            + "' on "
            + target.connection().redactedUrl()
            + (dryRun ? ": dry run, pre-flight only" : ""));
    row(out, "backup id", stored.backupId().toString());
    notes.forEach(note -> row(out, "note", note));
    out.flush();

    DatabaseRestore restore = new DatabaseRestore(locator(env), keyring, Clock.systemUTC());
    TargetDatabase server =
        new JdbcTargetDatabase(target.connection(), target.name(), target.urlSetting());
    PreflightReport plan;
    try {
      plan =
          restore.preflight(server, target.name(), target.database(), stored, terminateConnections);
    } catch (BackupException e) {
      throw new CliException(ExitCodes.DATABASE_ERROR, e.getMessage(), e);
    }
    printPreflight(out, plan);
    if (dryRun) {
      plan.requireOk();
      out.println("dry run: every pre-flight check passed; nothing was changed");
      out.flush();
      return ExitCodes.OK;
    }
    plan.requireOk();

    TargetDatabase.Settings like = null;
    RestoreOutcome outcome;
    try {
      if (!target.database().equals(target.connection().database())) {
        like = server.settingsOf(target.connection().database());
      }
      outcome =
          restore.apply(
              plan, server, new LocalStorageBackend(backup.path().getParent()), stored, like);
    } catch (RestoreRefusedException | RestoreFailedException e) {
      throw e;
    } catch (BackupException e) {
      throw new CliException(ExitCodes.DATABASE_ERROR, e.getMessage(), e);
    }
    out.println(
        "restored into database '"
            + outcome.database()
            + "'"
            + (outcome.created() ? " (created)" : "")
            + String.format(Locale.ROOT, " in %.3f s", outcome.applyTime().toMillis() / 1000.0));
    row(
        out,
        "row counts",
        outcome.tablesChecked() == 0
            ? "not compared (nothing recorded to compare with)"
            : outcome.tablesChecked() + " tables checked against the manifest, all equal");
    if (outcome.terminatedSessions() > 0) {
      row(out, "sessions", outcome.terminatedSessions() + " ended before the restore");
    }
    outcome.warnings().stream()
        .filter(w -> !plan.warnings().contains(w))
        .forEach(w -> row(out, "warning", w));
    out.flush();
    return ExitCodes.OK;
  }

  /** Where to restore, from the options and the environment; checks --confirm before anything. */
  private Target target(Map<String, String> env) {
    if (databaseUrl != null && databaseUrlEnv != null) {
      throw new CliException(
          ExitCodes.USAGE, "give either --database-url or --database-url-env, not both");
    }
    String urlSetting;
    String url;
    if (databaseUrl != null) {
      urlSetting = "--database-url";
      url = databaseUrl;
    } else {
      String variable = databaseUrlEnv != null ? databaseUrlEnv : DEFAULT_URL_ENV;
      urlSetting = "$" + variable;
      url = env.get(variable);
      if (url == null || url.isBlank()) {
        throw new CliException(
            ExitCodes.USAGE,
            "no database url: give --database-url, set "
                + variable
                + (databaseUrlEnv == null
                    ? ", or name another variable with --database-url-env"
                    : ""));
      }
    }
    DatabaseConnection connection;
    try {
      connection = DatabaseConnection.parse(url);
    } catch (BackupException e) {
      // the parser's message never contains the URL
      throw new CliException(ExitCodes.USAGE, e.getMessage() + " (" + urlSetting + ")", e);
    }
    String password = env.get(PASSWORD_ENV);
    if (connection.password() == null && password != null && !password.isEmpty()) {
      connection =
          new DatabaseConnection(
              connection.host(),
              connection.port(),
              connection.database(),
              connection.user(),
              password,
              connection.params());
    } else if (connection.password() != null && databaseUrl != null) {
      spec.commandLine()
          .getErr()
          .println(
              "warning: the password in --database-url is visible in the process list and the"
                  + " shell history; prefer "
                  + PASSWORD_ENV
                  + " or --database-url-env");
    }
    String name = database != null ? database : connection.database();
    try {
      TargetDatabase.requireName(name);
    } catch (BackupException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage(), e);
    }
    if (!confirm.equals(name)) {
      throw new CliException(
          ExitCodes.USAGE,
          "--confirm '"
              + confirm.replaceAll("\\p{Cntrl}", "?")
              + "' does not name the database that would be overwritten or created, '"
              + name
              + "'; nothing was contacted");
    }
    return new Target(connection, name, urlSetting, url);
  }

  /** The backup as the core restore takes it, from the file and the manifest beside it. */
  private static StoredBackup storedBackup(BackupFile backup, List<String> notes) {
    BackupManifest manifest = backup.manifest();
    boolean encrypted = backup.encrypted();
    if (manifest != null && !manifest.kind().equals("database")
        || backup.fileName().contains(".tar")) {
      throw new CliException(
          ExitCodes.NOT_A_BACKUP,
          "'"
              + backup.path()
              + "' is a source backup (a tar archive), not a database dump: "
              + (encrypted ? "decrypt it, then " : "")
              + "extract it with 'tar -xf'");
    }
    String keyId = backup.header() == null ? null : backup.header().keyId();
    if (manifest != null) {
      if (backup.header() != null) {
        InspectCommand.checkAgreement(backup.header(), manifest, backup);
      }
      notes.add(
          "manifest '"
              + backup.manifestPath().getFileName()
              + "' (self-checksum ok): digests and "
              + manifest.rowCounts().tables().size()
              + " tables' row counts ("
              + manifest.rowCounts().mode()
              + ") to check");
      return new StoredBackup(
          manifest.backupId(),
          backup.fileName(),
          encrypted,
          manifest.compressionFormat(),
          keyId,
          manifest.sha256Stored(),
          manifest.sha256(),
          manifest);
    }
    UUID backupId;
    if (backup.header() != null) {
      backupId = backup.header().backupId();
      notes.add(
          "no manifest beside the file: backup id from the header; no digests and no row counts to"
              + " compare (the encryption still authenticates every byte)");
    } else {
      // the file records no id; one derived from its name keeps the messages about it stable
      backupId = UUID.nameUUIDFromBytes(backup.fileName().getBytes(StandardCharsets.UTF_8));
      notes.add(
          "no manifest and no header: the backup id is made up from the file name; no digests and"
              + " no row counts to compare"
              + (encrypted ? " (the GCM tag is checked at the end, before the commit)" : ""));
    }
    return new StoredBackup(
        backupId, backup.fileName(), encrypted, backup.compression(), keyId, null, null, null);
  }

  /** The keys, checked against the file before any server is contacted. */
  private Keyring keyring(Map<String, String> env, BackupFile backup) throws Exception {
    return switch (backup.format()) {
      case PLAIN -> Keyring.empty();
      case ENCRYPTED -> {
        Keyring keyring = keys.keyring(env, backup.header().keyId());
        new EnvelopeEncryption(keyring).checkUnwraps(backup.header());
        yield keyring;
      }
      case LEGACY_ENCRYPTED -> {
        Keyring keyring = keys.keyring(env, null);
        // only the end of the file tells whether it is the right key
        LegacyKanbuDecryptor.withPrimaryKey(keyring);
        yield keyring;
      }
    };
  }

  private static PgToolLocator locator(Map<String, String> env) {
    String dirs = env.get(PG_BIN_DIRS_ENV);
    if (dirs != null && !dirs.isBlank()) {
      return new PgToolLocator(
          Arrays.stream(dirs.split(","))
              .map(String::strip)
              .filter(d -> !d.isEmpty())
              .map(Path::of)
              .toList());
    }
    return new PgToolLocator(PgToolLocator.defaultSearchDirs(env.get("PATH")));
  }

  private static void printPreflight(PrintWriter out, PreflightReport plan) {
    out.println("pre-flight:");
    row(
        out,
        "server",
        "PostgreSQL "
            + plan.serverVersion().display()
            + (plan.sourceVersion() == null
                ? " (the backup's server version is not recorded)"
                : ", backup taken from " + plan.sourceVersion().display()));
    row(out, "psql", plan.psql() == null ? "none suitable" : plan.psql().toString());
    row(
        out,
        "database",
        !plan.databaseExists()
            ? "does not exist: it will be created"
            : plan.databaseEmpty()
                ? "exists, empty"
                : "exists and holds data: it will be replaced (no safety backup is taken)");
    row(
        out,
        "sessions",
        plan.otherSessions().isEmpty()
            ? "none"
            : plan.otherSessions().size()
                + " other "
                + plan.otherSessions()
                + (plan.terminateConnections() ? ": they will be ended" : ""));
    plan.warnings().forEach(w -> row(out, "warning", w));
    plan.refusals().forEach(r -> row(out, "REFUSED", r));
    out.flush();
  }

  private static void row(PrintWriter out, String label, String value) {
    out.printf("  %-12s %s%n", label + ":", value);
  }

  /** Where the restore goes; the URL is kept only to mask it. */
  private record Target(
      DatabaseConnection connection, String database, String urlSetting, String url) {

    /** The target's name in the core's messages: the server's address. */
    String name() {
      return connection.address();
    }

    /** The text with the URL and the password replaced. */
    String mask(String text) {
      String masked = text.replace(url, connection.redactedUrl());
      String password = connection.password();
      return password == null || password.isEmpty() ? masked : masked.replace(password, "***");
    }

    @Override
    public String toString() {
      return "Target[" + connection.redactedUrl() + ", database=" + database + "]";
    }
  }
}
