/**
 * Source-tree backups: a tar of a directory written with commons-compress (PAX headers, modes and
 * modification times kept, symbolic links stored as links and never followed), with gitignore-style
 * exclusions and a report of everything that did not go as planned.
 */
@NullMarked
package io.kanbu.backup.core.source.tar;

import org.jspecify.annotations.NullMarked;
