/** Conventions every HTTP endpoint shares: RFC 7807 problems and paged lists. */
@NullMarked
package io.kanbu.backup.gateway.api;

import org.jspecify.annotations.NullMarked;
