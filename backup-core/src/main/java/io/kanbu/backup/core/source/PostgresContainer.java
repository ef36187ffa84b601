package io.kanbu.backup.core.source;

import io.kanbu.backup.core.PermanentBackupException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL server reached through its container, as one role: docker mode runs the client
 * programs ({@code pg_dump}, {@code psql}) inside the container with {@code docker exec -i}, where
 * they connect to the server themselves, so this machine needs neither a route to the server nor
 * client programs of its version.
 *
 * <p>Every command is an argument list, never a shell string and never with a terminal ({@code -t}
 * would mangle the data streams). The role's password is handed over as {@code -e PGPASSWORD}
 * without a value: the docker client copies it from its own environment into the program's, so it
 * never appears in an argument list.
 */
public final class PostgresContainer {

  /**
   * psql's options for a query whose output this class reads: rows only, unaligned, a NUL after
   * every field and row (no value can hold one). Long names, so no option reads like docker's
   * {@code -t}.
   */
  private static final List<String> QUERY_OPTIONS =
      List.of(
          "-X",
          "-w",
          "-q",
          "--no-align",
          "--tuples-only",
          "--field-separator-zero",
          "--record-separator-zero",
          "-v",
          "ON_ERROR_STOP=1");

  private final DockerCli docker;
  private final String name;
  private final DatabaseConnection login;
  private final String setting;

  /**
   * @param name the running container's name
   * @param login user, database and password; host, port and parameters are not used (the programs
   *     connect inside the container)
   * @param setting the settings that name the user and database, for messages
   */
  public PostgresContainer(
      DockerCli docker, String name, DatabaseConnection login, String setting) {
    this.docker = docker;
    this.name = name;
    this.login = login;
    this.setting = setting;
  }

  public String name() {
    return name;
  }

  public DatabaseConnection login() {
    return login;
  }

  public String setting() {
    return setting;
  }

  /**
   * {@code docker exec -i [-e PGPASSWORD] -e PGAPPNAME <container> <program> <options> -U <user> -d
   * <database>}.
   */
  public List<String> command(String program, List<String> options, String database) {
    return docker.execCommand(
        name, clientEnvironment().keySet(), programCommand(program, options, database));
  }

  /**
   * Sets what {@link #command}'s {@code -e PGPASSWORD} and {@code -e PGAPPNAME} copy into the
   * container (the password, if any, and {@link LibpqClient#BACKUP_APPLICATION}), and only that.
   */
  public void prepareEnvironment(Map<String, String> env) {
    env.remove("PGPASSWORD");
    env.putAll(clientEnvironment());
  }

  /** A process of {@link #command}, not started, its environment prepared. */
  public ProcessBuilder process(String program, List<String> options, String database) {
    ProcessBuilder pb = new ProcessBuilder(command(program, options, database));
    prepareEnvironment(pb.environment());
    return pb;
  }

  /**
   * The version of a client program in the container, from {@code <program> --version}.
   *
   * @return a {@link PgTool} whose path is the program's name inside the container
   */
  public PgTool tool(String program) {
    String text = docker.exec(name, Map.of(), List.of(program, "--version"));
    PgVersion version = PgVersion.parseToolOutput(text);
    if (version == null) {
      throw new PermanentBackupException(
          "container '"
              + name
              + "' has no usable "
              + program
              + " ('"
              + program
              + " --version' printed '"
              + text.strip()
              + "'); check POSTGRES_CONTAINER");
    }
    return new PgTool(program, Path.of(program), version);
  }

  /** The server's version ({@code SHOW server_version_num}), asked through {@code database}. */
  public PgVersion serverVersion(String database) {
    List<List<String>> rows = query(database, "SHOW server_version_num", 1, Duration.ofSeconds(30));
    try {
      return new PgVersion(Integer.parseInt(rows.getFirst().getFirst().strip()));
    } catch (RuntimeException e) {
      throw new PermanentBackupException(
          "unable to read the server version through container '"
              + name
              + "' (psql printed "
              + rows
              + "); check "
              + setting);
    }
  }

  /**
   * Runs one SQL statement with {@code psql -c} on {@code database} and returns its rows.
   *
   * @param columns how many columns the statement returns (0 for none)
   * @throws io.kanbu.backup.core.BackupException with psql's error when it fails
   */
  public List<List<String>> query(String database, String sql, int columns, Duration timeout) {
    List<String> options = new ArrayList<>(QUERY_OPTIONS);
    options.add("-c");
    options.add(sql);
    String out =
        docker.exec(name, clientEnvironment(), programCommand("psql", options, database), timeout);
    return rows(out, columns);
  }

  /** Unaligned output with NUL after every field and row: split into rows of {@code columns}. */
  static List<List<String>> rows(String out, int columns) {
    if (out.isEmpty() || columns == 0) {
      return List.of();
    }
    String body = out.endsWith("\0") ? out.substring(0, out.length() - 1) : out;
    String[] fields = body.split("\0", -1);
    if (fields.length % columns != 0) {
      throw new IllegalStateException(
          "psql printed " + fields.length + " fields, not rows of " + columns);
    }
    List<String> all = List.of(fields);
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < all.size(); i += columns) {
      rows.add(all.subList(i, i + columns));
    }
    return rows;
  }

  /** What runs inside the container: {@code <program> <options> -U <user> -d <database>}. */
  private List<String> programCommand(String program, List<String> options, String database) {
    List<String> command = new ArrayList<>();
    command.add(program);
    command.addAll(options);
    command.addAll(List.of("-U", login.user(), "-d", database));
    return command;
  }

  /** The password, if any, and our application name: what the programs get from the client. */
  private Map<String, String> clientEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    if (login.password() != null) {
      env.put("PGPASSWORD", login.password());
    }
    env.put("PGAPPNAME", LibpqClient.BACKUP_APPLICATION);
    return env;
  }

  @Override
  public String toString() {
    return "container '" + name + "' as '" + login.user() + "'";
  }
}
