package io.kanbu.backup.core.source;

import io.kanbu.backup.core.PermanentBackupException;
import io.kanbu.backup.core.TransientBackupException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
    return lines(run(List.of("ps", "--format", "{{.Names}}"), Map.of()));
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
            run(
                List.of(
                    "ps",
                    "--filter",
                    "name=^" + name.replace(".", "\\.") + "$",
                    "--format",
                    "{{.Names}}"),
                Map.of()));
    return found.contains(name);
  }

  /**
   * Runs {@code docker exec -i [-e NAME]... <container> <command>} and returns its standard output.
   *
   * @param env variables handed to the container by name only; their values are put into the docker
   *     client's environment, never into the arguments
   */
  public String exec(String container, Map<String, String> env, List<String> command) {
    List<String> args = new ArrayList<>(List.of("exec", "-i"));
    env.keySet()
        .forEach(
            name -> {
              args.add("-e");
              args.add(name);
            });
    args.add(container);
    args.addAll(command);
    return run(args, env);
  }

  private String run(List<String> args, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(binary);
    command.addAll(args);
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
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new TransientBackupException(
            "'"
                + binary
                + " "
                + args.getFirst()
                + "' did not finish within "
                + TIMEOUT_SECONDS
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
                + args.getFirst()
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
