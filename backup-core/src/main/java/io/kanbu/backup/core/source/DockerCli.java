package io.kanbu.backup.core.source;

import io.kanbu.backup.core.PermanentBackupException;
import io.kanbu.backup.core.TransientBackupException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The few docker client commands docker mode needs, run from argument lists (never a shell) with a
 * timeout. The client binary is configurable ({@code BACKUP_DOCKER_BINARY}).
 */
public final class DockerCli {

  private static final long TIMEOUT_SECONDS = 30;

  private final String binary;

  public DockerCli(String binary) {
    this.binary = binary;
  }

  public String binary() {
    return binary;
  }

  /** Names of the running containers, in {@code docker ps} order (newest first). */
  public List<String> runningContainers() {
    return lines(ps(List.of("--format", "{{.Names}}")));
  }

  /** Docker's rule for container names; anything else is refused before docker is asked. */
  public static final java.util.regex.Pattern CONTAINER_NAME =
      java.util.regex.Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,254}");

  /** Whether a container with exactly this name runs. */
  public boolean isRunning(String name) {
    if (!CONTAINER_NAME.matcher(name).matches()) {
      throw new PermanentBackupException(
          "container name '"
              + name
              + "' is not a valid docker container name; check POSTGRES_CONTAINER");
    }
    List<String> found =
        lines(
            ps(
                List.of(
                    "--filter",
                    "name=^" + name.replace(".", "\\.") + "$",
                    "--format",
                    "{{.Names}}")));
    return found.contains(name);
  }

  /**
   * Runs {@code docker exec -i [-e NAME]... <container> <command>} and returns its standard output;
   * it must end within 30 seconds.
   *
   * @param env variables handed to the container by name only; their values are put into the docker
   *     client's environment, never into the arguments
   */
  public String exec(String container, Map<String, String> env, List<String> command) {
    return exec(container, env, command, Duration.ofSeconds(TIMEOUT_SECONDS));
  }

  /** Like {@link #exec(String, Map, List)}, for a command that may take up to {@code timeout}. */
  public String exec(
      String container, Map<String, String> env, List<String> command, Duration timeout) {
    return run(execCommand(container, env.keySet(), command), env, timeout);
  }

  /**
   * The argument list of {@code <binary> exec -i [-e NAME]... <container> <command>}, for a caller
   * that starts the process itself (a stream in or out). Never {@code -t}: a terminal would mangle
   * the data. {@code -e NAME} without a value makes the client copy the variable from its own
   * environment, so a secret never appears in an argument list.
   */
  public List<String> execCommand(
      String container, Collection<String> envNames, List<String> command) {
    List<String> args = new ArrayList<>(List.of(binary, "exec", "-i"));
    envNames.forEach(
        name -> {
          args.add("-e");
          args.add(name);
        });
    args.add(container);
    args.addAll(command);
    return args;
  }

  private String ps(List<String> options) {
    List<String> command = new ArrayList<>(List.of(binary, "ps"));
    command.addAll(options);
    return run(command, Map.of(), Duration.ofSeconds(TIMEOUT_SECONDS));
  }

  /** Runs {@code command} (the binary first) and returns its standard output. */
  private String run(List<String> command, Map<String, String> env, Duration timeout) {
    String subcommand = command.get(1);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("PGPASSWORD");
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new PermanentBackupException(
          "unable to run the docker client '"
              + binary
              + "': "
              + e.getMessage()
              + "; install it or set BACKUP_DOCKER_BINARY",
          e);
    }
    try {
      CompletableFuture<byte[]> err =
          CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      byte[] out = readAll(process.getInputStream());
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new TransientBackupException(
            "'"
                + binary
                + " "
                + subcommand
                + "' did not finish within "
                + timeout.toSeconds()
                + " seconds; check that the docker daemon answers");
      }
      String stderr = new String(err.join(), StandardCharsets.UTF_8).strip();
      if (process.exitValue() != 0) {
        String lower = stderr.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("cannot connect to the docker daemon")
            || lower.contains("is the docker daemon running")
            || lower.contains("permission denied while trying to connect")) {
          throw new TransientBackupException(
              "the docker daemon is not reachable through '"
                  + binary
                  + "': "
                  + firstLine(stderr)
                  + "; check that Docker runs and that this user may use its socket");
        }
        throw new TransientBackupException(
            "'"
                + binary
                + " "
                + subcommand
                + "' failed with exit code "
                + process.exitValue()
                + (stderr.isEmpty() ? "" : ": " + firstLine(stderr)));
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new TransientBackupException("interrupted while running '" + binary + "'", e);
    }
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readNBytes(1 << 20);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static List<String> lines(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    String line = nl < 0 ? text : text.substring(0, nl);
    return line.length() > 500 ? line.substring(0, 500) + "…" : line;
  }
}
