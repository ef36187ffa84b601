/**
 * The MCP server on {@code /mcp} (streamable HTTP, Spring AI's MCP server starter): tools for
 * assistants that start and follow backups through the same services as the HTTP API.
 */
@NullMarked
package io.kanbu.backup.gateway.mcp;

import org.jspecify.annotations.NullMarked;
