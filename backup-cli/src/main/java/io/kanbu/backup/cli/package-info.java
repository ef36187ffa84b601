/**
 * The offline recovery CLI ({@code java -jar kanbu-backup-cli.jar}): inspects, verifies, decrypts
 * and rekeys single backup files with nothing but the file (and its manifest) and the key. It uses
 * backup-core only: no Spring, no catalog, no broker.
 */
@NullMarked
package io.kanbu.backup.cli;

import org.jspecify.annotations.NullMarked;
