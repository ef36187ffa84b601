/** Restores of source backups into a directory on the workers ({@code RESTORE_SOURCE} jobs). */
@NullMarked
package io.kanbu.backup.gateway.sourcerestore;

import org.jspecify.annotations.NullMarked;
