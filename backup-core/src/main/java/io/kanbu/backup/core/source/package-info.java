/** Dump sources: parsing database URLs, locating PostgreSQL client tools, running pg_dump. */
@NullMarked
package io.kanbu.backup.core.source;

import org.jspecify.annotations.NullMarked;
