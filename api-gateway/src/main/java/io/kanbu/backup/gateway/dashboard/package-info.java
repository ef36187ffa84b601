/**
 * The operations dashboard: server-rendered pages (Thymeleaf, htmx) that call the same services as
 * the API, with live updates by server-sent events.
 */
@NullMarked
package io.kanbu.backup.gateway.dashboard;

import org.jspecify.annotations.NullMarked;
