package io.kanbu.backup.worker.job;

/**
 * The stage a running job is in, as its worker writes it to the catalog ({@code
 * backup_job.progress_stage}) and the jobs API and the dashboard show it. A stage that reads a
 * backup or a source counts its bytes from zero, so its progress and rate are its own.
 */
public enum JobStage {
  /** A database backup checks the server's version and chooses direct or docker mode. */
  CONNECTING("connecting", false),
  /** pg_dump streams through the pipeline into storage; bytes are the dump's. */
  DUMPING("dumping", true),
  /** The source tree is tarred through the pipeline into storage; bytes are the tar's. */
  ARCHIVING("archiving", true),
  /** The backup is stored; its manifest is written beside it (estimated row counts read first). */
  FINISHING("finishing", false),
  /** A restore checks the server, psql, the key, the database and its sessions. */
  PREFLIGHT("preflight", false),
  /** A restore reads the whole backup once and checks its digests before touching anything. */
  VERIFYING("verifying", true),
  /** A restore waits for the safety backup of the target (a job of its own). */
  SAFETY_BACKUP("safety-backup", false),
  /** The backup streams into psql in one transaction; bytes are the stored backup's. */
  APPLYING("applying", true),
  /** The backup is read to its end; its digests and the tables' row counts are checked. */
  CHECKING("checking", false),
  /** psql commits the restore's transaction. */
  COMMITTING("committing", false),
  /** The restored database is analyzed. */
  ANALYZING("analyzing", false),
  /** A source backup is extracted into a staging directory; bytes are the stored backup's. */
  EXTRACTING("extracting", true),
  /** The staging directory is renamed into place. */
  MOVING_INTO_PLACE("moving-into-place", false),
  /** A verification reads one copy of the backup end to end; bytes are that copy's. */
  READING("reading", true),
  /** A restore drill restores the backup into a scratch database; bytes are the stored backup's. */
  DRILL("drill", true);

  private final String id;
  private final boolean countsBytes;

  JobStage(String id, boolean countsBytes) {
    this.id = id;
    this.countsBytes = countsBytes;
  }

  /** The name in the catalog and the API, e.g. {@code safety-backup}. */
  public String id() {
    return id;
  }

  /** Whether entering this stage starts a new byte count. */
  public boolean countsBytes() {
    return countsBytes;
  }
}
