/**
 * Optional sign-in to the dashboard through an OpenID Connect provider: on only when a client
 * registration is configured; the provider's claims give the role, and every identity gets a
 * dashboard user of its own, so tokens, the audit log and disabling work as for local users.
 */
@NullMarked
package io.kanbu.backup.gateway.security.oidc;

import org.jspecify.annotations.NullMarked;
