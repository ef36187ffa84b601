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
 */
public record DatabaseTarget(
    String name, @Nullable DatabaseConnection connection, String urlSetting) {}
