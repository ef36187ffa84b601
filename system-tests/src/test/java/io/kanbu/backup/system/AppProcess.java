package io.kanbu.backup.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** One of our apps running as its own operating-system process, from its executable jar. */
final class AppProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final int port;
  private final Path log;
  private final Process process;

  private AppProcess(String name, int port, Path log, Process process) {
    this.name = name;
    this.port = port;
    this.log = log;
    this.process = process;
  }

  /**
   * Starts the exec jar of {@code module} with the given environment (added to this JVM's) and
   * Spring arguments, logging to {@code target/system-test-logs/<name>.log}.
   */
  static AppProcess start(
      String module, String name, int port, Map<String, String> env, List<String> springArgs) {
    Path jar = execJar(module);
    Path logDir = Path.of("target", "system-test-logs");
    try {
      Files.createDirectories(logDir);
      Path log = logDir.resolve(name + ".log");
      List<String> command = new ArrayList<>();
      command.add(javaExecutable());
      command.add("-Xmx256m");
      // C1 only and one GC thread, as in the worker's image: the apps start in about half the CPU
      // time, which counts when a test starts a fleet of them on a small machine
      command.add("-XX:TieredStopAtLevel=1");
      command.add("-XX:+UseSerialGC");
      command.add("-jar");
      command.add(jar.toString());
      command.add("--server.port=" + port);
      command.addAll(springArgs);
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().putAll(env);
      builder.redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      return new AppProcess(name, port, log, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("unable to start " + name + " from " + jar, e);
    }
  }

  /** Waits until {@code /actuator/health} answers UP; fails with the log's tail otherwise. */
  AppProcess awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + ":\n" + logTail());
      }
      try {
        HttpResponse<String> response =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
          return this;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
      sleep(Duration.ofMillis(250));
    }
    throw new IllegalStateException(
        name + " did not become healthy in " + timeout + ":\n" + logTail());
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: the process gets no chance to clean up, as when a machine dies. */
  void kill() {
    process.destroyForcibly();
    waitForExit();
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      waitForExit();
    }
  }

  private void waitForExit() {
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String javaExecutable() {
    String fromBuild = System.getenv("KANBU_SYSTEM_TEST_JAVA");
    if (fromBuild != null && !fromBuild.isBlank()) {
      return fromBuild;
    }
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Path execJar(String module) {
    Path target = Path.of("..", module, "target").toAbsolutePath().normalize();
    try (Stream<Path> files = Files.list(target)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith("-exec.jar"))
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no executable jar of '"
                          + module
                          + "' in "
                          + target
                          + "; run ./mvnw package first"));
    } catch (IOException e) {
      throw new IllegalStateException(
          "no build output of '" + module + "' at " + target + "; run ./mvnw package first", e);
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
