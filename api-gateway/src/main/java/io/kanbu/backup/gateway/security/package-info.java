/** Authentication of API callers by the shared trigger key. */
@NullMarked
package io.kanbu.backup.gateway.security;

import org.jspecify.annotations.NullMarked;
