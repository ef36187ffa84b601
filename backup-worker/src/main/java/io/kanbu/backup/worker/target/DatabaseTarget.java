package io.kanbu.backup.worker.target;

import io.kanbu.backup.core.source.DatabaseConnection;

/**
 * A target's database.
 *
 * @param name the target's name
 * @param connection where to connect
 * @param urlSetting the environment variable that configures it, for messages
 */
public record DatabaseTarget(String name, DatabaseConnection connection, String urlSetting) {}
