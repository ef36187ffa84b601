package io.kanbu.backup.core.source;

import io.kanbu.backup.core.PermanentBackupException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where and as whom to connect to a PostgreSQL database, parsed from an operator's {@code
 * DATABASE_URL}.
 *
 * <p>{@link #toString()} masks the password and any parameter whose name contains "password", so an
 * instance can be logged.
 *
 * @param host host name or IP address (IPv6 without brackets)
 * @param port TCP port
 * @param database database name
 * @param user role name
 * @param password password, or {@code null} for none (trust, peer, or a {@code .pgpass} of the
 *     operator)
 * @param params remaining connection parameters such as {@code sslmode}, in URL order
 */
public record DatabaseConnection(
    String host,
    int port,
    String database,
    String user,
    @Nullable String password,
    Map<String, String> params) {

  public static final String DEFAULT_HOST = "localhost";
  public static final int DEFAULT_PORT = 5432;
  private static final String EXPECTED =
      "expected postgresql://user:password@host:port/database?sslmode=...,"
          + " postgres://... or jdbc:postgresql://host:port/database?user=...&password=...";

  public DatabaseConnection {
    if (host.isBlank()) {
      throw new PermanentBackupException("invalid database connection: host is empty");
    }
    if (port < 1 || port > 65535) {
      throw new PermanentBackupException(
          "invalid database connection: port '" + port + "' is outside 1-65535");
    }
    if (database.isBlank()) {
      throw new PermanentBackupException("invalid database connection: database name is empty");
    }
    if (user.isBlank()) {
      throw new PermanentBackupException("invalid database connection: user is empty");
    }
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /**
   * Parses {@code postgresql://user:pass@host:port/db?sslmode=require}, {@code postgres://...} and
   * {@code jdbc:postgresql://host:port/db?user=...&password=...}. User, password, database and
   * parameters are percent-decoded. Host defaults to {@code localhost}, port to 5432, user to
   * {@code postgres} and the database to the user name (as libpq does).
   *
   * @throws PermanentBackupException if the URL is malformed; the message never contains the URL
   *     itself, so it cannot leak the password
   */
  public static DatabaseConnection parse(String url) {
    String trimmed = url.strip();
    String lower = trimmed.toLowerCase(Locale.ROOT);
    String rest;
    if (lower.startsWith("jdbc:postgresql://")) {
      rest = trimmed.substring("jdbc:postgresql://".length());
    } else if (lower.startsWith("postgresql://")) {
      rest = trimmed.substring("postgresql://".length());
    } else if (lower.startsWith("postgres://")) {
      rest = trimmed.substring("postgres://".length());
    } else {
      throw malformed(
          trimmed.isEmpty() ? "it is empty" : "it does not start with a postgresql scheme");
    }
    int fragment = rest.indexOf('#');
    if (fragment >= 0) {
      rest = rest.substring(0, fragment);
    }
    int queryStart = rest.indexOf('?');
    String query = queryStart >= 0 ? rest.substring(queryStart + 1) : "";
    String beforeQuery = queryStart >= 0 ? rest.substring(0, queryStart) : rest;

    String user = null;
    String password = null;
    int at = beforeQuery.lastIndexOf('@');
    String hostAndPath = beforeQuery;
    if (at >= 0) {
      String userInfo = beforeQuery.substring(0, at);
      hostAndPath = beforeQuery.substring(at + 1);
      int colon = userInfo.indexOf(':');
      if (colon >= 0) {
        user = decode(userInfo.substring(0, colon), "user");
        password = decode(userInfo.substring(colon + 1), "password");
      } else {
        user = decode(userInfo, "user");
      }
    }
    int slash = hostAndPath.indexOf('/');
    String hostPort = slash >= 0 ? hostAndPath.substring(0, slash) : hostAndPath;
    String database = slash >= 0 ? decode(hostAndPath.substring(slash + 1), "database") : "";
    if (hostPort.contains(",")) {
      throw malformed("several hosts are not supported; name one host");
    }

    String host = DEFAULT_HOST;
    int port = DEFAULT_PORT;
    String portText = null;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw malformed("the IPv6 address is missing its closing ']'");
      }
      host = hostPort.substring(1, close);
      String after = hostPort.substring(close + 1);
      if (after.startsWith(":")) {
        portText = after.substring(1);
      } else if (!after.isEmpty()) {
        throw malformed("unexpected text after the IPv6 address");
      }
    } else {
      int colon = hostPort.lastIndexOf(':');
      String hostText = colon >= 0 ? hostPort.substring(0, colon) : hostPort;
      portText = colon >= 0 ? hostPort.substring(colon + 1) : null;
      if (!hostText.isEmpty()) {
        host = decode(hostText, "host");
      }
    }
    if (portText != null && !portText.isEmpty()) {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        // the port text comes from the host part, which holds no secret
        throw malformed("port '" + portText + "' is not a number");
      }
      if (port < 1 || port > 65535) {
        throw malformed("port '" + portText + "' is outside 1-65535");
      }
    }

    Map<String, String> params = new LinkedHashMap<>();
    if (!query.isEmpty()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(eq >= 0 ? pair.substring(0, eq) : pair, "parameter name");
        String value = eq >= 0 ? decode(pair.substring(eq + 1), "parameter '" + key + "'") : "";
        switch (key) {
          case "user" -> user = value;
          case "password" -> password = value;
          case "dbname" -> database = value;
          case "host" -> host = value;
          case "port" -> {
            try {
              port = Integer.parseInt(value);
            } catch (NumberFormatException e) {
              throw malformed("port parameter '" + value + "' is not a number");
            }
          }
          default -> params.put(key, value);
        }
      }
    }
    if (user == null || user.isEmpty()) {
      user = "postgres";
    }
    if (database.isEmpty()) {
      database = user;
    }
    if (host.isEmpty()) {
      host = DEFAULT_HOST;
    }
    return new DatabaseConnection(
        host,
        port,
        database,
        user,
        password == null || password.isEmpty() ? null : password,
        params);
  }

  /** The JDBC URL without credentials. */
  public String jdbcUrl() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "jdbc:postgresql://" + h + ":" + port + "/" + database;
  }

  /** A URL for messages and logs: no password, no parameters. */
  public String redactedUrl() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "postgresql://" + user + "@" + h + ":" + port + "/" + database;
  }

  /** Host and port as people write them, for messages. */
  public String address() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    Map<String, String> shown = new LinkedHashMap<>();
    params.forEach(
        (k, v) -> shown.put(k, k.toLowerCase(Locale.ROOT).contains("password") ? "***" : v));
    return "DatabaseConnection[host="
        + host
        + ", port="
        + port
        + ", database="
        + database
        + ", user="
        + user
        + ", password="
        + (password == null ? "none" : "***")
        + ", params="
        + shown
        + "]";
  }

  private static String decode(String text, String what) {
    try {
      // URLDecoder turns '+' into a space, which is form encoding, not URL encoding
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw malformed("the " + what + " has an invalid percent-encoding");
    }
  }

  private static PermanentBackupException malformed(String reason) {
    return new PermanentBackupException(
        "unable to parse the database url: " + reason + "; " + EXPECTED);
  }
}
