package io.kanbu.backup.core.source;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.PermanentBackupException;
import io.kanbu.backup.core.TransientBackupException;
import io.kanbu.backup.core.pipeline.CountingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dumps one PostgreSQL database with {@code pg_dump} in plain SQL format ({@code --clean
 * --if-exists}), streaming its standard output.
 *
 * <p>The process is started from an argument list, never a shell. The password reaches pg_dump only
 * through a 0600 {@code PGPASSFILE} that is deleted afterwards; it never appears in the arguments,
 * the environment or a log line. Standard error is read on its own thread and its last 64 KiB are
 * kept for the error message.
 */
public final class PgDumpSource {

  /** How much of pg_dump's standard error is kept. */
  public static final int STDERR_TAIL_BYTES = 64 * 1024;

  /** How much of that tail goes into an exception message. */
  static final int MESSAGE_TAIL_CHARS = 4000;

  private static final Logger log = LoggerFactory.getLogger(PgDumpSource.class);
  private static final int CONNECT_TIMEOUT_SECONDS = 15;

  private final DatabaseConnection connection;
  private final PgTool pgDump;
  private final String targetName;
  private final String urlSetting;

  /** Set for docker mode: pg_dump runs inside this container through {@code docker exec -i}. */
  private @Nullable PostgresContainer container;

  private volatile @Nullable PgVersion serverVersion;

  /**
   * @param connection where to dump from
   * @param pgDump the pg_dump to run, usually from {@link PgToolLocator#locate}
   * @param targetName the target's name, for messages
   * @param urlSetting the setting that holds the connection URL (e.g. {@code DATABASE_URL}), so
   *     messages can say what to fix
   */
  public PgDumpSource(
      DatabaseConnection connection, PgTool pgDump, String targetName, String urlSetting) {
    this(connection, pgDump, targetName, urlSetting, null);
  }

  /**
   * Like {@link #PgDumpSource(DatabaseConnection, PgTool, String, String)}, for a caller that has
   * already queried the server's version (it chose the pg_dump by it).
   */
  public PgDumpSource(
      DatabaseConnection connection,
      PgTool pgDump,
      String targetName,
      String urlSetting,
      @Nullable PgVersion knownServerVersion) {
    this.connection = connection;
    this.pgDump = pgDump;
    this.targetName = targetName;
    this.urlSetting = urlSetting;
    this.serverVersion = knownServerVersion;
  }

  /**
   * A source that runs {@code docker exec -i [-e PGPASSWORD] <container> pg_dump …} (see {@link
   * PostgresContainer}: never a terminal, the password only in the docker client's environment).
   *
   * @param container where pg_dump runs, and the user, database and password it connects with
   * @param pgDump the container's pg_dump (its path is the name inside the container)
   * @param serverVersion the server's version, as read through the container
   */
  public static PgDumpSource viaDocker(
      PostgresContainer container, PgTool pgDump, String targetName, PgVersion serverVersion) {
    PgDumpSource source =
        new PgDumpSource(container.login(), pgDump, targetName, container.setting(), serverVersion);
    source.container = container;
    return source;
  }

  public PgVersion pgDumpVersion() {
    return pgDump.version();
  }

  public PgTool pgDump() {
    return pgDump;
  }

  /** The server's version, queried once over JDBC ({@code SHOW server_version_num}). */
  public PgVersion serverVersion() {
    PgVersion v = serverVersion;
    if (v == null) {
      v = queryServerVersion(connection, targetName, urlSetting);
      serverVersion = v;
    }
    return v;
  }

  /**
   * Connects over JDBC and reads {@code server_version_num}; this is also the early check of
   * address, credentials and database name, with clearer errors than pg_dump's.
   */
  public static PgVersion queryServerVersion(
      DatabaseConnection connection, String targetName, String urlSetting) {
    try (Connection c = openJdbc(connection, targetName, urlSetting);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW server_version_num")) {
      rs.next();
      return new PgVersion(Integer.parseInt(rs.getString(1).strip()));
    } catch (SQLException e) {
      throw connectionError(connection, targetName, urlSetting, e);
    }
  }

  /**
   * A JDBC connection to the target with the same credentials and TLS settings pg_dump uses.
   *
   * @throws BackupException (transient or permanent) with a message that says what to fix
   */
  public static Connection openJdbc(
      DatabaseConnection connection, String targetName, String urlSetting) {
    Properties props = new Properties();
    props.setProperty("user", connection.user());
    if (connection.password() != null) {
      props.setProperty("password", connection.password());
    }
    props.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    props.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
    props.setProperty("ApplicationName", LibpqClient.BACKUP_APPLICATION);
    for (String key : List.of("sslmode", "sslrootcert", "sslcert", "sslkey")) {
      String value = connection.params().get(key);
      if (value != null) {
        props.setProperty(key, value);
      }
    }
    try {
      return DriverManager.getConnection(connection.jdbcUrl(), props);
    } catch (SQLException e) {
      throw connectionError(connection, targetName, urlSetting, e);
    }
  }

  /** Receives pg_dump's standard output. */
  @FunctionalInterface
  public interface DumpConsumer {
    /** Reads the dump; should read to the end of the stream. */
    void consume(InputStream dump) throws IOException;
  }

  /**
   * Runs pg_dump and hands its output to {@code consumer}. Returns only if pg_dump exited with 0
   * and wrote at least one byte; otherwise throws with pg_dump's standard error in the message. If
   * the consumer throws, pg_dump is killed and the consumer's exception propagates.
   *
   * @return the number of bytes pg_dump wrote
   */
  public long dump(DumpConsumer consumer) throws IOException {
    Path passFile = null;
    try {
      ProcessBuilder pb = new ProcessBuilder(arguments());
      Map<String, String> env = pb.environment();
      LibpqClient.scrubEnvironment(env);
      PostgresContainer inContainer = container;
      if (inContainer != null) {
        inContainer.prepareEnvironment(env);
        return run(pb, consumer);
      }
      LibpqClient.prepareEnvironment(
          env, connection, CONNECT_TIMEOUT_SECONDS, LibpqClient.BACKUP_APPLICATION);
      if (connection.password() != null) {
        passFile = writePassFile();
        env.put("PGPASSFILE", passFile.toString());
      }
      return run(pb, consumer);
    } finally {
      if (passFile != null) {
        Files.deleteIfExists(passFile);
      }
    }
  }

  private long run(ProcessBuilder pb, DumpConsumer consumer) throws IOException {
    try {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));

      Process process;
      try {
        process = pb.start();
      } catch (IOException e) {
        throw new PermanentBackupException(
            "unable to start '"
                + pb.command().getFirst()
                + "' for target '"
                + targetName
                + "': "
                + e.getMessage()
                + "; check that it is installed and executable",
            e);
      }
      log.debug("started {} for target '{}' ({})", pgDump, targetName, connection.redactedUrl());
      StderrTail stderr =
          new StderrTail(process.getErrorStream(), STDERR_TAIL_BYTES, "pg_dump-stderr");
      CountingInputStream out = new CountingInputStream(process.getInputStream());
      try {
        consumer.consume(out);
        // the consumer should have read everything; drain anything left so pg_dump can finish
        out.transferTo(java.io.OutputStream.nullOutputStream());
      } catch (IOException | RuntimeException | Error e) {
        process.destroyForcibly();
        stderr.await(5000);
        // a pipeline error caused by pg_dump dying is better explained by pg_dump's stderr
        if (e instanceof IOException && process.waitFor(1, TimeUnit.SECONDS)) {
          int exit = process.exitValue();
          if (exit != 0 && exit != 137) {
            throw failure(exit, stderr.text(), e);
          }
        }
        throw e;
      } finally {
        out.close();
      }
      int exit;
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new TransientBackupException(
            "pg_dump for target '"
                + targetName
                + "' closed its output but did not exit within 5 minutes; it was killed");
      }
      exit = process.exitValue();
      stderr.await(10_000);
      if (exit != 0) {
        throw failure(exit, stderr.text(), null);
      }
      if (out.count() == 0) {
        throw new PermanentBackupException(
            "pg_dump for target '"
                + targetName
                + "' exited normally but wrote an empty dump"
                + tailSuffix(stderr.text())
                + "; check that '"
                + pgDump.path()
                + "' is a real pg_dump");
      }
      return out.count();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientBackupException(
          "pg_dump for target '" + targetName + "' was interrupted", e);
    }
  }

  /** The argument list; package-private so tests can check that no secret is in it. */
  List<String> arguments() {
    List<String> args = new ArrayList<>();
    PostgresContainer inContainer = container;
    if (inContainer != null) {
      return inContainer.command(
          "pg_dump",
          List.of("-w", "--clean", "--if-exists", "--format=plain"),
          connection.database());
    }
    args.add(pgDump.path().toString());
    args.add("-w");
    args.add("--clean");
    args.add("--if-exists");
    args.add("--format=plain");
    args.add("--no-password");
    args.addAll(LibpqClient.connectionArguments(connection));
    return args;
  }

  private Path writePassFile() throws IOException {
    String password = connection.password();
    if (password == null) {
      throw new IllegalStateException("no password");
    }
    if (password.contains("\n") || password.contains("\r")) {
      throw new PermanentBackupException(
          "the password for target '"
              + targetName
              + "' contains a line break, which a pgpass file cannot hold; change the password");
    }
    Path file =
        Files.createTempFile(
            "kanbu-pgpass-",
            ".conf",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    String line =
        String.join(
                ":",
                pgpassEscape(connection.host()),
                Integer.toString(connection.port()),
                pgpassEscape(connection.database()),
                pgpassEscape(connection.user()),
                pgpassEscape(password))
            + "\n";
    try {
      Files.writeString(file, line, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    return file;
  }

  private static String pgpassEscape(String value) {
    return value.replace("\\", "\\\\").replace(":", "\\:");
  }

  private BackupException failure(int exit, String stderrTail, @Nullable Throwable cause) {
    String what;
    if (exit > 128 && exit < 128 + 65) {
      what = "was killed by signal " + (exit - 128);
    } else {
      what = "failed with exit code " + exit;
    }
    String lower = stderrTail.toLowerCase(Locale.ROOT);
    String hint;
    boolean permanent;
    if (lower.contains("password authentication failed")
        || lower.contains("no password supplied")
        || lower.contains("authentication failed")) {
      hint = "check the user and password in " + urlSetting;
      permanent = true;
    } else if (lower.contains("server version mismatch")) {
      // only the cached version: an error path must not open another connection
      PgVersion known = serverVersion;
      hint =
          "install postgresql-client-"
              + (known == null ? "<server major>" : known.majorDisplay())
              + " or point KANBU_BACKUP_PG_BIN_DIRS at a newer pg_dump's directory";
      permanent = true;
    } else if (lower.contains("does not exist") || lower.contains("permission denied")) {
      hint = "check the database, the user and its privileges in " + urlSetting;
      permanent = true;
    } else if (lower.contains("connection refused")
        || lower.contains("timeout expired")
        || lower.contains("could not connect")
        || lower.contains("could not translate host name")
        || lower.contains("server closed the connection")) {
      hint = "check " + urlSetting + " and that the server at " + connection.address() + " runs";
      permanent = false;
    } else {
      hint = "retry the backup; if it fails again, check the server's log";
      permanent = false;
    }
    String message =
        "pg_dump for target '" + targetName + "' " + what + tailSuffix(stderrTail) + "; " + hint;
    return permanent
        ? new PermanentBackupException(message, cause)
        : new TransientBackupException(message, cause);
  }

  private static String tailSuffix(String stderrTail) {
    if (stderrTail.isEmpty()) {
      return " (no error output)";
    }
    String shown =
        stderrTail.length() > MESSAGE_TAIL_CHARS
            ? "..." + stderrTail.substring(stderrTail.length() - MESSAGE_TAIL_CHARS)
            : stderrTail;
    return ": " + shown;
  }

  private static BackupException connectionError(
      DatabaseConnection c, String targetName, String urlSetting, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String prefix = "unable to connect to target '" + targetName + "' (" + c.redactedUrl() + "): ";
    if (state.equals("28P01") || state.equals("28000")) {
      return new PermanentBackupException(
          prefix
              + "authentication failed for user '"
              + c.user()
              + "'; check the user and password in "
              + urlSetting,
          e);
    }
    if (state.equals("3D000")) {
      return new PermanentBackupException(
          prefix + "database '" + c.database() + "' does not exist; check " + urlSetting, e);
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (root instanceof ConnectException) {
      return new TransientBackupException(
          prefix
              + "server "
              + c.address()
              + " refused the connection; check "
              + urlSetting
              + " and that the server runs",
          e);
    }
    if (root instanceof UnknownHostException) {
      return new TransientBackupException(
          prefix + "host '" + c.host() + "' is unknown; check " + urlSetting, e);
    }
    if (root instanceof SocketTimeoutException) {
      return new TransientBackupException(
          prefix + "server " + c.address() + " did not answer in time; check " + urlSetting, e);
    }
    if (state.startsWith("08")) {
      return new TransientBackupException(
          prefix + e.getMessage() + "; check " + urlSetting + " and that the server runs", e);
    }
    return new PermanentBackupException(
        prefix + e.getMessage() + " (SQL state " + state + "); check " + urlSetting, e);
  }
}
