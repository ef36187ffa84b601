package io.kanbu.backup.worker.target;

import io.kanbu.backup.core.source.DatabaseConnection;
import org.jspecify.annotations.Nullable;

/**
 * A target's database.
 *
 * @param name the target's name
 * @param connection where to connect, from its URL; null for the {@code default} target without
 *     {@code DATABASE_URL}, which only docker mode can reach
 * @param urlSetting the environment variable that configures it, for messages
 * @param drillServer where restore drills restore, when not on the target's own server
 */
public record DatabaseTarget(
    String name,
    @Nullable DatabaseConnection connection,
    String urlSetting,
    @Nullable DatabaseConnection drillServer) {

  /** A target whose drills run on its own server. */
  public DatabaseTarget(String name, @Nullable DatabaseConnection connection, String urlSetting) {
    this(name, connection, urlSetting, null);
  }

  /**
   * Where a restore drill connects to create its scratch database: the configured drill server,
   * else the target's own; null if neither is reachable directly.
   */
  public @Nullable DatabaseConnection drillConnection() {
    return drillServer != null ? drillServer : connection;
  }
}
