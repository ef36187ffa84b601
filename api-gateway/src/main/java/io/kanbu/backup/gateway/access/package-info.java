/**
 * Who may use the gateway: dashboard users with a role, their personal API tokens, the first
 * administrator, and throttling of failed logins.
 */
@NullMarked
package io.kanbu.backup.gateway.access;

import org.jspecify.annotations.NullMarked;
