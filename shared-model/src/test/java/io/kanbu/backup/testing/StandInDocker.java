package io.kanbu.backup.testing;

import io.kanbu.backup.testing.ExternalServices.PostgresEndpoint;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A stand-in {@code docker} client for docker mode on machines without a Docker engine: it answers
 * {@code ps} (optionally {@code --filter name=^…$}) from a container list, and runs {@code exec -i
 * [-e NAME[=value]]… <container> <program> <args>} as the real PostgreSQL program of this machine
 * against the test server, with standard input and output passed through. Like the real client, the
 * program gets only the {@code PG*} variables that {@code -e} named. It can play a daemon that is
 * down and a container that exited, and logs every call: its exact arguments and whether {@code
 * PGPASSWORD} was in its environment.
 */
public final class StandInDocker {

  private final Path dir;

  private StandInDocker(Path dir) {
    this.dir = dir;
  }

  /**
   * Writes the stand-in into {@code dir} (created if missing), with no container running. Its
   * programs are the newest PostgreSQL client programs of this machine.
   */
  public static StandInDocker install(Path dir, PostgresEndpoint pg) throws IOException {
    Path clientBinDir = newestClientBinDir();
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("containers"), "");
    Path script = dir.resolve("docker");
    Files.writeString(
        script,
        """
        #!/bin/sh
        d='%s'
        { printf 'CALL'; for a in "$@"; do printf '\\t%%s' "$a"; done; printf '\\n'
          if [ -n "${PGPASSWORD+x}" ]; then echo 'ENV PGPASSWORD set'; else echo 'ENV PGPASSWORD unset'; fi
        } >> "$d/calls.log"
        if [ -e "$d/daemon-down" ]; then
          echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?' >&2
          exit 1
        fi
        case "$1" in
        ps)
          shift; filter=''
          while [ $# -gt 0 ]; do
            case "$1" in --filter) filter="$2"; shift 2;; --format) shift 2;; *) shift;; esac
          done
          if [ -n "$filter" ]; then
            name=${filter#name=^}; name=${name%%\\$}; name=$(printf '%%s' "$name" | sed 's/\\\\\\././g')
            grep -Fx -- "$name" "$d/containers" || true
          else
            cat "$d/containers"
          fi ;;
        exec)
          shift
          [ "$1" = "-i" ] || { echo 'stand-in docker: expected -i first' >&2; exit 2; }
          shift
          named=' '
          while [ "$1" = "-e" ]; do
            case "$2" in *=*) export "$2"; named="$named${2%%%%=*} ";; *) named="$named$2 ";; esac
            shift 2
          done
          for v in $(env | sed -n 's/^\\(PG[A-Z_]*\\)=.*/\\1/p'); do
            case "$named" in *" $v "*) ;; *) unset "$v";; esac
          done
          c="$1"; shift
          if ! grep -Fxq -- "$c" "$d/containers" || [ -e "$d/exited-$c" ]; then
            echo "Error response from daemon: container $c is not running" >&2; exit 1
          fi
          tool="$1"; shift
          PGHOST='%s' PGPORT='%s' exec '%s'/"$tool" "$@" ;;
        *) echo "stand-in docker: unsupported command $1" >&2; exit 2 ;;
        esac
        """
            .formatted(dir, pg.host(), pg.port(), clientBinDir));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return new StandInDocker(dir);
  }

  /**
   * The directory of the newest {@code psql} and {@code pg_dump}: {@code
   * /usr/lib/postgresql/<major>/bin} (Debian), else the first directory of {@code PATH} with both.
   */
  static Path newestClientBinDir() throws IOException {
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> majors = Files.list(debian)) {
        Optional<Path> newest =
            majors
                .map(major -> major.resolve("bin"))
                .filter(StandInDocker::hasClientPrograms)
                .max(Comparator.comparingDouble(bin -> major(bin.getParent())));
        if (newest.isPresent()) {
          return newest.get();
        }
      }
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty() && hasClientPrograms(Path.of(dir))) {
        return Path.of(dir);
      }
    }
    throw new IllegalStateException(
        "no directory with psql and pg_dump found; install postgresql-client");
  }

  private static boolean hasClientPrograms(Path dir) {
    return Files.isExecutable(dir.resolve("psql")) && Files.isExecutable(dir.resolve("pg_dump"));
  }

  private static double major(Path versionDir) {
    try {
      return Double.parseDouble(versionDir.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The stand-in's path, for {@code BACKUP_DOCKER_BINARY}. */
  public Path binary() {
    return dir.resolve("docker");
  }

  /** These containers run from now on (in {@code docker ps} order), and no other. */
  public void containersRunning(String... names) throws IOException {
    Files.writeString(dir.resolve("containers"), String.join("\n", names) + "\n");
  }

  /** From now on every command fails as with a daemon that does not run. */
  public void daemonDown() throws IOException {
    Files.writeString(dir.resolve("daemon-down"), "");
  }

  /** The container is listed but {@code exec} fails as for one that exited. */
  public void containerExited(String name) throws IOException {
    Files.writeString(dir.resolve("exited-" + name), "");
  }

  /** One call: its arguments and whether {@code PGPASSWORD} was in the client's environment. */
  public record Call(List<String> args, boolean passwordInEnvironment) {

    /** The arguments as one line, for assertions on what a command contained. */
    public String line() {
      return String.join(" ", args);
    }
  }

  /** Every call so far, oldest first. */
  public List<Call> calls() throws IOException {
    Path log = dir.resolve("calls.log");
    if (!Files.exists(log)) {
      return List.of();
    }
    List<String> lines = Files.readAllLines(log);
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i + 1 < lines.size(); i += 2) {
      String[] parts = lines.get(i).split("\t", -1);
      List<String> args = Arrays.asList(parts).subList(1, parts.length);
      calls.add(new Call(List.copyOf(args), lines.get(i + 1).endsWith(" set")));
    }
    return calls;
  }
}
