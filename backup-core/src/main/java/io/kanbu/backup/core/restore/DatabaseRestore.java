package io.kanbu.backup.core.restore;

import io.kanbu.backup.core.BackupException;
import io.kanbu.backup.core.TransientBackupException;
import io.kanbu.backup.core.crypto.DecryptionException;
import io.kanbu.backup.core.crypto.Keyring;
import io.kanbu.backup.core.manifest.BackupManifest;
import io.kanbu.backup.core.pipeline.DamagedCompressedStreamException;
import io.kanbu.backup.core.source.CopyRowCounter;
import io.kanbu.backup.core.source.PgTool;
import io.kanbu.backup.core.source.PgToolLocator;
import io.kanbu.backup.core.source.PgVersion;
import io.kanbu.backup.core.storage.ObjectNotFoundException;
import io.kanbu.backup.core.storage.StorageBackend;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a stored database backup into a PostgreSQL database, never leaving it worse than it was:
 * {@link #preflight} checks everything that can be checked without touching the target; {@link
 * #apply} streams the backup (decrypt → gunzip) into {@code psql -X -1 -v ON_ERROR_STOP=1} and lets
 * it commit only after the stored bytes were read to their end, both digests matched and the
 * restored row counts matched the manifest (counted from the dump's COPY blocks as they pass, see
 * {@link RowCountCheck}). Any failure rolls the whole restore back.
 *
 * <p>What happens between the two calls (a full verification pass, a safety backup) is the
 * caller's. No catalog, no Spring: the worker and the offline CLI both use this class.
 */
public final class DatabaseRestore {

  private static final Logger log = LoggerFactory.getLogger(DatabaseRestore.class);

  /**
   * How long the pre-flight waits for sessions of our own to leave the database: the restore's own
   * checks and a backup of a moment ago have closed their connections, but a busy server may list
   * their processes for a while (seconds, seen on a loaded machine), and they are nobody's work.
   */
  static final Duration OWN_SESSIONS_GRACE = Duration.ofSeconds(10);

  private static final Duration OWN_SESSIONS_POLL = Duration.ofMillis(100);

  private final PgToolLocator locator;
  private final Keyring keyring;
  private final Clock clock;
  private final Duration lockTimeout;
  private final Duration ownSessionsGrace;

  /**
   * @param keyring the keys that may decrypt the backup (our envelope's key ids, or for a legacy
   *     Kanbu file the primary key)
   */
  public DatabaseRestore(PgToolLocator locator, Keyring keyring, Clock clock) {
    this(locator, keyring, clock, DatabaseWipe.LOCK_TIMEOUT);
  }

  /** A restore that waits at most {@code lockTimeout} for a lock another session holds. */
  DatabaseRestore(PgToolLocator locator, Keyring keyring, Clock clock, Duration lockTimeout) {
    this(locator, keyring, clock, lockTimeout, OWN_SESSIONS_GRACE);
  }

  /**
   * A restore that waits at most {@code lockTimeout} for a lock another session holds, and at most
   * {@code ownSessionsGrace} for sessions of our own to leave the database.
   */
  DatabaseRestore(
      PgToolLocator locator,
      Keyring keyring,
      Clock clock,
      Duration lockTimeout,
      Duration ownSessionsGrace) {
    this.locator = locator;
    this.keyring = keyring;
    this.clock = clock;
    this.lockTimeout = lockTimeout;
    this.ownSessionsGrace = ownSessionsGrace;
  }

  /**
   * Checks, without changing anything: the server's version against the backup's source version, a
   * psql at least as new as the server, the decryption key, the database (exists, empty) and the
   * sessions connected to it (a refusal unless {@code terminateConnections}; sessions named as our
   * own backups' and restores' are given {@link #OWN_SESSIONS_GRACE} to leave first).
   *
   * @throws BackupException if the server cannot be reached at all
   */
  public PreflightReport preflight(
      TargetDatabase target,
      String targetName,
      String database,
      StoredBackup backup,
      boolean terminateConnections) {
    TargetDatabase.requireName(database);
    List<String> refusals = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    PgVersion server = target.serverVersion();
    BackupManifest manifest = backup.manifest();
    PgVersion source =
        manifest == null || manifest.pgServerVersion() == null
            ? null
            : PgVersion.parseToolOutput("(PostgreSQL) " + manifest.pgServerVersion());
    if (source != null && server.majorVersionNum() < source.majorVersionNum()) {
      refusals.add(
          "the target server is PostgreSQL "
              + server.display()
              + " but the backup comes from "
              + source.display()
              + "; restore it on a server of version "
              + source.majorDisplay()
              + " or newer");
    }
    if (manifest == null) {
      warnings.add(
          "backup '"
              + backup.backupId()
              + "' has no manifest (a legacy backup): there are no row counts to compare");
    } else if (!manifest.rowCounts().mode().equals("exact")) {
      warnings.add(
          "the manifest's row counts are '"
              + manifest.rowCounts().mode()
              + "', not exact: row counts are not compared");
    }
    PgTool psql = null;
    try {
      psql = target.psql(locator, server);
    } catch (BackupException e) {
      refusals.add(e.getMessage());
    }
    keyProblem(backup).ifPresent(refusals::add);
    boolean exists = target.exists(database);
    boolean empty = !exists || target.isEmpty(database);
    List<TargetDatabase.Session> sessions =
        exists ? otherSessions(target, database, terminateConnections) : List.of();
    if (!sessions.isEmpty() && !terminateConnections) {
      refusals.add(
          "database '"
              + database
              + "' has "
              + sessions.size()
              + " other connection(s) "
              + sessions
              + "; stop them, or ask for the restore with terminateConnections to end them");
    }
    return new PreflightReport(
        targetName,
        database,
        server,
        source,
        psql,
        exists,
        empty,
        sessions,
        terminateConnections,
        refusals,
        warnings);
  }

  /**
   * The other sessions on {@code database}. While every one of them is ours ({@link
   * TargetDatabase.Session#ours}), asks again for up to the grace: our connections of a moment ago
   * are closed, only their server processes may not have gone yet. A session of anyone else is
   * reported at once, and so is everything when the restore will end the sessions anyway.
   */
  private List<TargetDatabase.Session> otherSessions(
      TargetDatabase target, String database, boolean terminateConnections) {
    long deadline = System.nanoTime() + ownSessionsGrace.toNanos();
    List<TargetDatabase.Session> sessions = target.otherSessions(database);
    while (!terminateConnections
        && !sessions.isEmpty()
        && sessions.stream().allMatch(TargetDatabase.Session::ours)
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(OWN_SESSIONS_POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      sessions = target.otherSessions(database);
    }
    return sessions;
  }

  private Optional<String> keyProblem(StoredBackup backup) {
    if (!backup.encrypted()) {
      return Optional.empty();
    }
    String keyId = backup.keyId();
    if (keyId != null) {
      return keyring.find(keyId).isPresent()
          ? Optional.empty()
          : Optional.of(
              "no key '"
                  + keyId
                  + "' to decrypt backup '"
                  + backup.backupId()
                  + "' (the keyring has "
                  + keyring.ids()
                  + "); add it to "
                  + Keyring.ENV_OLD_KEYS);
    }
    return keyring.isEmpty()
        ? Optional.of(
            "backup '"
                + backup.backupId()
                + "' is encrypted but no encryption key is configured; set "
                + Keyring.ENV_KEY)
        : Optional.empty();
  }

  /**
   * Applies the backup after a successful pre-flight: creates the database if it does not exist
   * ({@code template0}, {@code createLike}'s encoding and locale when given), ends the other
   * sessions if the request allowed it, streams the backup into psql in one transaction, then runs
   * {@code ANALYZE}. On failure a database the restore created is dropped again; an existing one is
   * unchanged.
   *
   * @throws RestoreRefusedException if the pre-flight found a problem, or the stored object cannot
   *     be opened (missing, wrong key, not gzip): nothing changed
   * @throws RestoreFailedException if the apply failed and was rolled back
   */
  public RestoreOutcome apply(
      PreflightReport plan,
      TargetDatabase target,
      StorageBackend storage,
      StoredBackup backup,
      TargetDatabase.@Nullable Settings createLike) {
    return apply(plan, target, storage, backup, createLike, RestoreSteps.NONE);
  }

  /**
   * {@link #apply(PreflightReport, TargetDatabase, StorageBackend, StoredBackup,
   * TargetDatabase.Settings)}, telling {@code steps} where it is.
   */
  public RestoreOutcome apply(
      PreflightReport plan,
      TargetDatabase target,
      StorageBackend storage,
      StoredBackup backup,
      TargetDatabase.@Nullable Settings createLike,
      RestoreSteps steps) {
    PgTool psql = plan.requireOk();
    String database = plan.database();
    String what = "database '" + database + "' of target '" + plan.targetName() + "'";
    List<String> warnings = new ArrayList<>(plan.warnings());
    steps.entered(RestoreSteps.Step.APPLYING);
    try (BackupPlaintext plaintext = open(storage, backup, database)) {
      boolean created = false;
      if (!target.exists(database)) {
        target.create(database, createLike);
        created = true;
        log.info("created database '{}' for the restore of backup {}", database, backup.backupId());
      }
      int terminated = 0;
      if (plan.terminateConnections()) {
        terminated = target.terminateSessions(database);
        if (terminated > 0) {
          log.info("ended {} session(s) on database '{}' for the restore", terminated, database);
        }
      }
      Optional<RowCountCheck> rowCheck =
          RowCountCheck.of(backup.manifest() == null ? null : backup.manifest().rowCounts());
      Instant started = clock.instant();
      try {
        new PsqlApplier(target, psql)
            .apply(
                database,
                what,
                in -> {
                  in.write(CompletionGuard.start());
                  in.write(DatabaseWipe.sql(lockTimeout));
                  CopyRowCounter sql = new CopyRowCounter(plaintext.sql());
                  sql.transferTo(in);
                  steps.entered(RestoreSteps.Step.CHECKING);
                  plaintext.finish();
                  if (rowCheck.isPresent()) {
                    Optional<byte[]> countInDatabase =
                        rowCheck.get().compare(sql.rowsByTable(), what);
                    if (countInDatabase.isPresent()) {
                      in.write(countInDatabase.get());
                    }
                  }
                  in.write(CompletionGuard.end());
                  steps.entered(RestoreSteps.Step.COMMITTING);
                });
      } catch (RuntimeException e) {
        if (created) {
          dropQuietly(target, database);
        }
        throw e;
      }
      Duration applyTime = Duration.between(started, clock.instant());
      steps.entered(RestoreSteps.Step.ANALYZING);
      try {
        target.analyze(database);
      } catch (BackupException e) {
        warnings.add("ANALYZE after the restore failed: " + e.getMessage() + "; run it by hand");
      }
      int checked = rowCheck.map(RowCountCheck::tables).orElse(0);
      return new RestoreOutcome(database, created, terminated, checked, applyTime, warnings);
    } catch (IOException e) {
      // from closing the object after the transaction ended; the result stands
      throw new TransientBackupException(
          "unable to close backup '" + backup.objectKey() + "': " + e.getMessage(), e);
    }
  }

  private BackupPlaintext open(StorageBackend storage, StoredBackup backup, String database) {
    InputStream stored;
    try {
      stored = storage.open(backup.objectKey());
    } catch (ObjectNotFoundException e) {
      throw new RestoreRefusedException(
          database,
          List.of(
              "object '"
                  + backup.objectKey()
                  + "' of backup '"
                  + backup.backupId()
                  + "' is missing in storage '"
                  + storage.name()
                  + "'"));
    }
    try {
      return BackupPlaintext.open(stored, backup, keyring);
    } catch (DecryptionException | DamagedCompressedStreamException e) {
      throw new RestoreRefusedException(
          database,
          List.of("unable to read backup '" + backup.backupId() + "': " + e.getMessage()));
    } catch (IOException e) {
      throw new TransientBackupException(
          "unable to read backup '"
              + backup.objectKey()
              + "' from storage '"
              + storage.name()
              + "': "
              + e.getMessage()
              + "; retry",
          e);
    }
  }

  private static void dropQuietly(TargetDatabase target, String database) {
    try {
      target.dropIfExists(database);
    } catch (BackupException e) {
      log.warn(
          "unable to drop database '{}' the failed restore created: {}", database, e.getMessage());
    }
  }
}
