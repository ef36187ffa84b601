/**
 * The self-describing manifest stored beside every backup object ({@code <object
 * key>.manifest.json}): what the backup is, how it was made and how to check it, with a SHA-256 of
 * its own canonical content. Fields: {@code docs/backup-format.md}.
 */
@NullMarked
package io.kanbu.backup.core.manifest;

import org.jspecify.annotations.NullMarked;
