package io.kanbu.backup.system;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.kanbu.backup.model.messaging.MessagingTopology;
import io.kanbu.backup.testing.ExternalServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The three apps together on the real PostgreSQL and RabbitMQ, each in its own process, with a
 * fresh catalog database and a storage directory of the test's own.
 */
final class KanbuSystem implements AutoCloseable {

  static final String TRIGGER_KEY = "st-" + UUID.randomUUID();

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ExternalServices.PostgresEndpoint pg = ExternalServices.postgres();
  private final ExternalServices.RabbitEndpoint rabbit = ExternalServices.rabbitmq();
  private final String catalogDatabase;
  private final Path storage;
  private final Map<String, String> env = new HashMap<>();
  private final List<AppProcess> processes = new ArrayList<>();
  private AppProcess gateway;

  KanbuSystem(String catalogDatabase, String sourceDatabase, Path storage) {
    this.catalogDatabase = catalogDatabase;
    this.storage = storage;
    pg.recreateDatabase(catalogDatabase);
    purgeQueues();
    env.put("KANBU_CATALOG_URL", pg.jdbcUrl(catalogDatabase));
    env.put("KANBU_CATALOG_USER", pg.user());
    env.put("KANBU_CATALOG_PASSWORD", pg.password());
    env.put("RABBITMQ_HOST", rabbit.host());
    env.put("RABBITMQ_PORT", Integer.toString(rabbit.port()));
    env.put("RABBITMQ_USER", rabbit.user());
    env.put("RABBITMQ_PASSWORD", rabbit.password());
    env.put("RABBITMQ_VHOST", rabbit.vhost());
    env.put("BACKUP_TRIGGER_API_KEY", TRIGGER_KEY);
    env.put("BACKUP_STORAGE", "local");
    env.put("BACKUP_LOCAL_PATH", storage.toString());
    env.put("DATABASE_URL", pg.databaseUrl(sourceDatabase));
    // direct only: auto mode would fall back to the machine's docker client, which tests never use
    env.put("BACKUP_PG_MODE", "direct");
    // connections on demand, not each pool's maximum at start: a fleet of apps would otherwise
    // hold some 50 of the test server's connections, which other test runs share
    env.put("SPRING_DATASOURCE_HIKARI_MINIMUM_IDLE", "1");
  }

  KanbuSystem withEnv(String name, String value) {
    env.put(name, value);
    return this;
  }

  KanbuSystem startGateway(String... springArgs) {
    gateway = start("api-gateway", "gateway", List.of(springArgs));
    return this;
  }

  AppProcess startScheduler(String... springArgs) {
    return start("scheduler", "scheduler", List.of(springArgs));
  }

  AppProcess startWorker(String name, String... springArgs) {
    return start("backup-worker", name, List.of(springArgs));
  }

  private AppProcess start(String module, String name, List<String> springArgs) {
    return startTogether(List.of(new App(module, name, springArgs))).getFirst();
  }

  /**
   * Starts several apps at once and waits until every one is healthy, so that a fleet comes up in
   * about the time of its slowest member.
   */
  List<AppProcess> startTogether(List<App> apps) {
    List<AppProcess> started = new ArrayList<>();
    for (App app : apps) {
      AppProcess process = AppProcess.start(app.module(), app.name(), freePort(), env, app.args());
      processes.add(process);
      started.add(process);
    }
    // JVMs starting side by side share the cores: allow each its own start time
    Duration timeout = Duration.ofSeconds(120).multipliedBy(apps.size());
    started.forEach(process -> process.awaitHealthy(timeout));
    return started;
  }

  /** One app to start: its module, a name for its log, and Spring arguments. */
  record App(String module, String name, List<String> args) {

    static App scheduler(String name, String... args) {
      return new App("scheduler", name, List.of(args));
    }

    static App worker(String name, String... args) {
      return new App("backup-worker", name, List.of(args));
    }
  }

  /** {@code POST /api/backup/trigger}; waits for the job to end unless {@code wait} is zero. */
  Response trigger(String body, Duration wait) {
    String query = wait.isZero() ? "" : "?wait=" + wait.toSeconds();
    return send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/backup/trigger" + query))
            .header("X-Backup-Key", TRIGGER_KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** {@code POST} of a JSON body to the gateway's {@code path}, with the API key. */
  Response post(String path, String json) {
    return send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .header("Authorization", "Bearer " + TRIGGER_KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  Response job(String jobId) {
    return send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/api/v1/jobs/" + jobId))
            .header("Authorization", "Bearer " + TRIGGER_KEY));
  }

  /** Any API call with the key, with a JSON body or none. */
  Response api(String method, String path, @Nullable String body) {
    return send(
        HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
            .header("Authorization", "Bearer " + TRIGGER_KEY)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body)));
  }

  Path storage() {
    return storage;
  }

  /** The complete database backup files in storage (a temporary file of a dead worker is not). */
  List<Path> databaseBackupFiles() throws IOException {
    try (Stream<Path> files = Files.walk(storage)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().matches("kanbu_backup_.*\\.sql\\.gz"))
          .toList();
    }
  }

  /**
   * Writes {@code dir/pg_dump}: this machine's newest pg_dump, with the shell lines {@code
   * beforeDump} run first (not for {@code --version}), e.g. to make a dump slow enough that a
   * worker can be killed in the middle of it.
   */
  static void writePgDumpWrapper(Path dir, String beforeDump) throws IOException {
    Path real = newestPgDump();
    Path script = dir.resolve("pg_dump");
    Files.writeString(
        script,
        """
        #!/bin/sh
        if [ "$1" = "--version" ]; then exec "%1$s" --version; fi
        %2$s
        exec "%1$s" "$@"
        """
            .formatted(real, beforeDump.strip()));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static Path newestPgDump() throws IOException {
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions
          .map(v -> v.resolve("bin/pg_dump"))
          .filter(Files::isExecutable)
          .max(Comparator.naturalOrder())
          .orElseThrow(() -> new IllegalStateException("no pg_dump under /usr/lib/postgresql"));
    }
  }

  /** Where the gateway listens, e.g. {@code http://127.0.0.1:41234}. */
  String gatewayUrl() {
    return gateway.baseUrl();
  }

  java.sql.Connection catalog() throws java.sql.SQLException {
    return pg.connect(catalogDatabase);
  }

  /** The first column of every row a catalog query returns, as text (null stays null). */
  List<@Nullable String> query(String sql) throws java.sql.SQLException {
    List<@Nullable String> values = new ArrayList<>();
    try (java.sql.Connection c = catalog();
        java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }

  /** A catalog query that returns one number, e.g. a {@code count(*)}. */
  long number(String sql) throws java.sql.SQLException {
    List<@Nullable String> values = query(sql);
    if (values.size() != 1 || values.getFirst() == null) {
      throw new IllegalStateException("'" + sql + "' returned " + values + ", not one number");
    }
    return Long.parseLong(values.getFirst());
  }

  private static Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              request.timeout(Duration.ofMinutes(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode body = response.body().isBlank() ? null : JSON.readTree(response.body());
      return new Response(response.statusCode(), body, response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void purgeQueues() {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(rabbit.host());
    factory.setPort(rabbit.port());
    factory.setUsername(rabbit.user());
    factory.setPassword(rabbit.password());
    factory.setVirtualHost(rabbit.vhost());
    try (Connection connection = factory.newConnection();
        Channel channel = connection.createChannel()) {
      for (String queue :
          List.of(
              MessagingTopology.JOBS_QUEUE,
              MessagingTopology.DEAD_LETTER_QUEUE,
              MessagingTopology.NOTIFICATIONS_QUEUE,
              MessagingTopology.WEBHOOK_DELIVERIES_QUEUE)) {
        try (Channel probe = connection.createChannel()) {
          probe.queueDeclarePassive(queue);
          channel.queuePurge(queue);
        } catch (IOException notDeclaredYet) {
          // first run on this broker: the apps declare it
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("unable to purge the job and webhook queues", e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    processes.reversed().forEach(AppProcess::close);
  }

  /** An HTTP answer with its JSON body, if any. */
  record Response(int status, JsonNode json, String raw) {}
}
