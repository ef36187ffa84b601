package io.kanbu.backup.cli;

import io.kanbu.backup.core.TransientBackupException;
import io.kanbu.backup.core.crypto.BackupIdMismatchException;
import io.kanbu.backup.core.crypto.HeaderAuthenticationException;
import io.kanbu.backup.core.crypto.HeaderCorruptedException;
import io.kanbu.backup.core.crypto.KeyringException;
import io.kanbu.backup.core.crypto.LegacyAuthenticationException;
import io.kanbu.backup.core.crypto.NoKeyConfiguredException;
import io.kanbu.backup.core.crypto.NotAnEncryptedBackupException;
import io.kanbu.backup.core.crypto.SegmentAuthenticationException;
import io.kanbu.backup.core.crypto.UnknownKeyIdException;
import io.kanbu.backup.core.crypto.UnsupportedFormatVersionException;
import io.kanbu.backup.core.crypto.WrongKeyException;
import io.kanbu.backup.core.manifest.ManifestCorruptedException;
import io.kanbu.backup.core.pipeline.DamagedCompressedStreamException;
import io.kanbu.backup.core.restore.RestoreFailedException;
import io.kanbu.backup.core.restore.RestoreRefusedException;
import io.kanbu.backup.core.verify.VerificationFailedException;
import java.io.EOFException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipException;

/** The CLI's exit codes, one per kind of failure, and the mapping of core exceptions to them. */
final class ExitCodes {

  static final int OK = 0;
  static final int INTERNAL_ERROR = 1;
  static final int USAGE = 2;
  static final int FILE_NOT_READABLE = 3;
  static final int NOT_A_BACKUP = 4;
  static final int KEY_MISSING = 5;
  static final int WRONG_KEY = 6;
  static final int DAMAGED = 7;
  static final int MANIFEST_INVALID = 8;
  static final int OUTPUT_EXISTS = 9;
  static final int RESTORE_REFUSED = 10;
  static final int RESTORE_FAILED = 11;
  static final int DATABASE_ERROR = 12;

  private ExitCodes() {}

  /** The list shown under "Exit codes" in every command's {@code --help}. */
  static Map<String, String> descriptions() {
    Map<String, String> codes = new LinkedHashMap<>();
    codes.put(" " + OK, "success: every check passed, the output is complete");
    codes.put(" " + INTERNAL_ERROR, "unexpected internal error (a bug: please report it)");
    codes.put(" " + USAGE, "invalid command line, or a request that cannot be done this way");
    codes.put(" " + FILE_NOT_READABLE, "file missing or unreadable, or output not writable");
    codes.put(
        " " + NOT_A_BACKUP,
        "not a Kanbu backup (or not encrypted, for decrypt and rekey), or a format version this"
            + " build does not read");
    codes.put(
        " " + KEY_MISSING,
        "no key given, the key id in the header is not in the keyring, or the keyring is invalid");
    codes.put(" " + WRONG_KEY, "wrong key: the key with that id is not the one that encrypted");
    codes.put(
        " " + DAMAGED,
        "damaged or truncated: header, a segment, a digest or the compressed stream (a legacy file"
            + " cannot tell this from a wrong key)");
    codes.put(
        " " + MANIFEST_INVALID, "manifest invalid: not JSON, checksum mismatch, or disagrees");
    codes.put(" " + OUTPUT_EXISTS, "the output exists: use --force to replace it");
    codes.put(
        RESTORE_REFUSED + "",
        "restore refused by a pre-flight check (server older than the backup's, no suitable psql,"
            + " other sessions without --terminate-connections): nothing changed");
    codes.put(
        RESTORE_FAILED + "",
        "restore failed and was rolled back (psql error, digest or row count mismatch): the"
            + " database is as it was");
    codes.put(
        DATABASE_ERROR + "",
        "database server unreachable, login refused, or a statement of the restore refused (e.g."
            + " CREATE DATABASE): nothing was restored");
    return codes;
  }

  /** The exit code of an exception thrown by a command. */
  static int of(Throwable e) {
    return switch (e) {
      case CliException cli -> cli.exitCode();
      case RestoreRefusedException r -> RESTORE_REFUSED;
      case RestoreFailedException f -> RESTORE_FAILED;
      case VerificationFailedException v ->
          switch (v.check()) {
            case MANIFEST -> MANIFEST_INVALID;
            case OBJECT -> FILE_NOT_READABLE;
            case DECRYPTION -> v.getCause() == null ? DAMAGED : of(v.getCause());
            case STORED_SHA256, PLAINTEXT_SHA256, DECOMPRESSION -> DAMAGED;
          };
      case ManifestCorruptedException m -> MANIFEST_INVALID;
      case TransientBackupException t -> FILE_NOT_READABLE;
      case NotAnEncryptedBackupException n -> NOT_A_BACKUP;
      case UnsupportedFormatVersionException u -> NOT_A_BACKUP;
      case NoKeyConfiguredException n -> KEY_MISSING;
      case UnknownKeyIdException u -> KEY_MISSING;
      case KeyringException k -> KEY_MISSING;
      case WrongKeyException w -> WRONG_KEY;
      case HeaderCorruptedException h -> DAMAGED;
      case HeaderAuthenticationException h -> DAMAGED;
      case SegmentAuthenticationException s -> DAMAGED;
      case LegacyAuthenticationException l -> DAMAGED;
      case BackupIdMismatchException b -> DAMAGED;
      case DamagedCompressedStreamException d -> DAMAGED;
      case ZipException z -> DAMAGED;
      case EOFException eof -> DAMAGED;
      case IOException io -> FILE_NOT_READABLE;
      default -> INTERNAL_ERROR;
    };
  }
}
