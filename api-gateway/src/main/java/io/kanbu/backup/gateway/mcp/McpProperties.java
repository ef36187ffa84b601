package io.kanbu.backup.gateway.mcp;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the MCP tools (prefix {@code kanbu.mcp}).
 *
 * @param maxWait {@code KANBU_MCP_MAX_WAIT}: the longest {@code waitSeconds} a tool call may ask
 *     for; a tool call holds an HTTP request, so it is kept shorter than the trigger's hour
 */
@ConfigurationProperties("kanbu.mcp")
public record McpProperties(@DefaultValue("10m") Duration maxWait) {

  public McpProperties {
    if (maxWait.isNegative() || maxWait.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "KANBU_MCP_MAX_WAIT is " + maxWait + "; set it between 0s and 1h");
    }
  }
}
