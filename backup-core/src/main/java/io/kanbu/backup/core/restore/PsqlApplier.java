package io.kanbu.backup.core.restore;

import io.kanbu.backup.core.PermanentBackupException;
import io.kanbu.backup.core.TransientBackupException;
import io.kanbu.backup.core.source.PgTool;
import io.kanbu.backup.core.source.StderrTail;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies SQL to a database with {@code psql -X -1 -v ON_ERROR_STOP=1 -f -} in one transaction,
 * streaming: psql commits only when its standard input ends normally. The target says how psql is
 * started (on this machine, or in the server's container through {@code docker exec -i}): from an
 * argument list, never a shell, the password only in its environment ({@code PGPASSWORD}).
 *
 * <p>The commit decision belongs to the caller's {@link SqlFeed}: if it throws, psql is killed
 * before its input is closed, so it never sends {@code COMMIT} and the server rolls the transaction
 * back. If psql itself fails, it rolls back and exits; the exception carries its last error lines.
 */
final class PsqlApplier {

  /** How much of psql's standard error is kept. */
  static final int STDERR_TAIL_BYTES = 64 * 1024;

  /** Most error lines kept in an exception. */
  static final int ERROR_LINES = 20;

  /** psql's options: one transaction, stop at the first error, quiet, no prompt, SQL on stdin. */
  static final List<String> OPTIONS =
      List.of("-X", "-1", "-v", "ON_ERROR_STOP=1", "-q", "-w", "-f", "-");

  private static final Logger log = LoggerFactory.getLogger(PsqlApplier.class);

  private final TargetDatabase target;
  private final PgTool psql;

  PsqlApplier(TargetDatabase target, PgTool psql) {
    this.target = target;
    this.psql = psql;
  }

  /** Writes the SQL into psql's standard input. */
  @FunctionalInterface
  interface SqlFeed {
    /**
     * Writes everything; returning normally means "commit". Throwing means "roll back": the caller
     * kills psql before closing its input.
     */
    void writeTo(OutputStream psqlInput) throws IOException;
  }

  /**
   * Runs psql on the target's {@code database} and feeds it.
   *
   * @param what names the restore in messages, e.g. {@code database 'app' of target 'default'}
   * @throws RestoreFailedException if psql or the feed failed; nothing was committed
   * @throws TransientBackupException if psql could not connect
   */
  void apply(String database, String what, SqlFeed feed) {
    ProcessBuilder pb = target.psqlProcess(psql, database, OPTIONS);
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new PermanentBackupException(
          "unable to start '" + pb.command().getFirst() + "' for " + what + ": " + e.getMessage(),
          e);
    }
    log.debug("started {} for {} ({})", psql, what, pb.command().getFirst());
    StderrTail stderr = new StderrTail(process.getErrorStream(), STDERR_TAIL_BYTES, "psql-stderr");
    PsqlInput input = new PsqlInput(process.getOutputStream());
    try {
      feed.writeTo(input);
    } catch (PsqlInputClosed e) {
      // psql stopped reading: it failed and rolled back; its exit code and stderr say why
      throw psqlFailure(process, stderr, what);
    } catch (IOException e) {
      // the input is not intact: psql must die before it sees the end of its input
      kill(process, stderr);
      throw new RestoreFailedException(
          "the backup could not be read to its end for "
              + what
              + ": "
              + e.getMessage()
              + "; psql was stopped before it could commit, the database is unchanged",
          e);
    } catch (RuntimeException | Error e) {
      kill(process, stderr);
      throw e;
    }
    try {
      input.closeForCommit();
    } catch (PsqlInputClosed e) {
      throw psqlFailure(process, stderr, what);
    }
    int exit = awaitExit(process, what);
    stderr.await(10_000);
    if (exit != 0) {
      throw failure(exit, stderr.text(), what);
    }
  }

  private RestoreFailedException psqlFailure(Process process, StderrTail stderr, String what) {
    int exit = awaitExit(process, what);
    stderr.await(10_000);
    return failure(exit, stderr.text(), what);
  }

  private static int awaitExit(Process process, String what) {
    try {
      // COMMIT of a large restore can take a while; psql exits right after it
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new TransientBackupException(
          "interrupted while psql finished " + what + "; check the database's state", e);
    }
  }

  /** Kills psql while its input is still open, so it cannot commit. */
  private static void kill(Process process, StderrTail stderr) {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stderr.await(2000);
  }

  static RestoreFailedException failure(int exit, String stderrText, String what) {
    List<String> lines = lastLines(stderrText);
    String shown = lines.isEmpty() ? "(no error output)" : String.join("\n", lines);
    String reason =
        exit == 2
            ? "psql could not connect or lost the connection"
            : exit > 128 && exit < 128 + 65
                ? "psql was killed by signal " + (exit - 128)
                : "psql failed with exit code " + exit;
    String message =
        reason
            + " restoring "
            + what
            + "; the transaction was rolled back and the database is unchanged: "
            + shown;
    if (shown.contains("lock timeout")) {
      message +=
          "; another session holds a lock on the database's objects: stop it, or ask for the"
              + " restore with terminateConnections";
    }
    if (shown.contains(RowCountCheck.ERROR_PREFIX)) {
      return new RowCountMismatchException(message, lines);
    }
    return new RestoreFailedException(message, lines);
  }

  /** The last error lines, without psql's noise about the rolled-back transaction. */
  static List<String> lastLines(String stderrText) {
    List<String> lines =
        Arrays.stream(stderrText.split("\\R"))
            .map(String::strip)
            .filter(l -> !l.isEmpty())
            .toList();
    return lines.subList(Math.max(0, lines.size() - ERROR_LINES), lines.size());
  }

  /** psql's standard input; a write that fails because psql went away is told apart. */
  private static final class PsqlInput extends FilterOutputStream {

    PsqlInput(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
      } catch (IOException e) {
        throw new PsqlInputClosed(e);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        throw new PsqlInputClosed(e);
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        throw new PsqlInputClosed(e);
      }
    }

    @Override
    public void close() {
      // only closeForCommit may end psql's input: a normal end means COMMIT
    }

    void closeForCommit() throws PsqlInputClosed {
      try {
        out.close();
      } catch (IOException e) {
        throw new PsqlInputClosed(e);
      }
    }
  }

  /** psql closed its end of the pipe: it stopped (after an error). */
  private static final class PsqlInputClosed extends IOException {
    private static final long serialVersionUID = 1L;

    PsqlInputClosed(IOException cause) {
      super("psql stopped reading its input", cause);
    }
  }
}
