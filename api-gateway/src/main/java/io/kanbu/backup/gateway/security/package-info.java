/**
 * Authentication and authorization: dashboard logins, personal API tokens, the service key, and the
 * one access policy that says which role each route needs.
 */
@NullMarked
package io.kanbu.backup.gateway.security;

import org.jspecify.annotations.NullMarked;
