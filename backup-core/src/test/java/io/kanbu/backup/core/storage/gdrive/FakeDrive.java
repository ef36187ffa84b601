package io.kanbu.backup.core.storage.gdrive;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local stand-in for the parts of the Drive v3 HTTP API the storage backend uses, served to the
 * real Google client ({@code setRootUrl}): files list with the backend's queries, get, media
 * download ({@code /download/…?alt=media}, as the client asks), delete, resumable upload sessions
 * for create and update with {@code 308} and {@code Range}, and the OAuth token endpoint of a
 * service account. It can inject failures: a {@code 500} after part of a chunk arrived, a {@code
 * 429} with {@code Retry-After}, and an expired token.
 */
public final class FakeDrive implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern PARENT = Pattern.compile("'((?:[^'\\\\]|\\\\.)*)' in parents");
  private static final Pattern KEY =
      Pattern.compile(
          "appProperties has \\{ key='((?:[^'\\\\]|\\\\.)*)' and value='((?:[^'\\\\]|\\\\.)*)' \\}");

  /** A file as the fake keeps it. */
  public record StoredFile(
      String id,
      String name,
      List<String> parents,
      Map<String, String> appProperties,
      byte[] content,
      Instant created,
      Instant modified) {}

  /** An upload session: a new file (fileId null) or a new revision of one. */
  private static final class Session {
    final JsonNode metadata;
    final String fileId;
    final ByteArrayOutputStream received = new ByteArrayOutputStream();

    Session(JsonNode metadata, String fileId) {
      this.metadata = metadata;
      this.fileId = fileId;
    }
  }

  private final HttpServer server;
  private final Map<String, StoredFile> files = new ConcurrentHashMap<>();
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final AtomicInteger tokenGeneration = new AtomicInteger();
  private final AtomicInteger chunkPuts = new AtomicInteger();
  private final AtomicInteger statusQueries = new AtomicInteger();
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final Map<Integer, Integer> chunkFailures = new ConcurrentHashMap<>();
  private volatile boolean accessDenied;
  private volatile int rateLimitsLeft;
  private volatile int retryAfterSeconds;
  private final AtomicInteger rateLimited = new AtomicInteger();

  public FakeDrive() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  /** The root URL to give the client. */
  public String rootUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  String tokenUrl() {
    return rootUrl() + "token";
  }

  /** The {@code n}-th chunk upload from now on (1 = the next) gets a 500 after half arrived. */
  void failChunk(int n) {
    chunkFailures.put(chunkPuts.get() + n, 500);
  }

  /** The next {@code times} API calls get a 429 with {@code Retry-After}. */
  void rateLimit(int times, int retryAfter) {
    retryAfterSeconds = retryAfter;
    rateLimitsLeft = times;
  }

  /**
   * While {@code denied}, every API call answers 403 {@code insufficientFilePermissions}, as Drive
   * does when the folder is no longer shared with the account: a permanent failure, until undone.
   */
  public void denyAccess(boolean denied) {
    accessDenied = denied;
  }

  /** Tokens issued so far stop working: the client must fetch a new one. */
  void expireTokens() {
    tokenGeneration.incrementAndGet();
  }

  int statusQueries() {
    return statusQueries.get();
  }

  int tokensIssued() {
    return tokensIssued.get();
  }

  int rateLimited() {
    return rateLimited.get();
  }

  public List<StoredFile> files() {
    return List.copyOf(files.values());
  }

  /** Adds a file directly, as another client would have. */
  void addFile(String name, String parent, Map<String, String> appProperties, byte[] content) {
    String id = UUID.randomUUID().toString();
    Instant now = Instant.now();
    files.put(id, new StoredFile(id, name, List.of(parent), appProperties, content, now, now));
  }

  /**
   * Writes a service account's JSON key whose token endpoint is this fake, as {@code
   * BACKUP_GDRIVE_CREDENTIALS} names it.
   */
  public Path writeServiceAccountKey(Path dir) throws IOException {
    KeyPairGenerator generator;
    try {
      generator = KeyPairGenerator.getInstance("RSA");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    generator.initialize(2048);
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    Map<String, String> key = new LinkedHashMap<>();
    key.put("type", "service_account");
    key.put("project_id", "kanbu-test");
    key.put("private_key_id", "key-1");
    key.put("private_key", pem);
    key.put("client_email", "kanbu-backup@kanbu-test.iam.gserviceaccount.com");
    key.put("client_id", "1");
    key.put("token_uri", tokenUrl());
    Path file = dir.resolve("gdrive-service-account.json");
    Files.writeString(file, JSON.writeValueAsString(key));
    return file;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      serve(exchange);
    } catch (IOException | RuntimeException e) {
      // the server would swallow it and drop the connection: say what went wrong
      e.printStackTrace();
      throw e;
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      String method = exchange.getRequestMethod();
      if (path.equals("/token")) {
        exchange.getRequestBody().readAllBytes();
        tokensIssued.incrementAndGet();
        send(
            exchange,
            200,
            "{\"access_token\":\"token-"
                + tokenGeneration.get()
                + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
        return;
      }
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.equals("Bearer token-" + tokenGeneration.get())) {
        exchange.getRequestBody().readAllBytes();
        send(exchange, 401, error(401, "Invalid Credentials", "authError"));
        return;
      }
      if (accessDenied) {
        exchange.getRequestBody().readAllBytes();
        send(
            exchange,
            403,
            error(
                403,
                "The user does not have sufficient permissions for this file.",
                "insufficientFilePermissions"));
        return;
      }
      if (rateLimitsLeft > 0) {
        rateLimitsLeft--;
        rateLimited.incrementAndGet();
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().add("Retry-After", Integer.toString(retryAfterSeconds));
        send(exchange, 429, error(429, "Rate Limit Exceeded", "rateLimitExceeded"));
        return;
      }
      if (path.startsWith("/upload/drive/v3/files")) {
        upload(exchange, method, path, query);
      } else if (path.equals("/drive/v3/files") && method.equals("GET")) {
        list(exchange, query);
      } else if (path.startsWith("/drive/v3/files/")) {
        file(exchange, method, path.substring("/drive/v3/files/".length()), query);
      } else if (path.startsWith("/download/drive/v3/files/") && "media".equals(query.get("alt"))) {
        // the client downloads media from the download path
        file(exchange, method, path.substring("/download/drive/v3/files/".length()), query);
      } else {
        send(exchange, 404, error(404, "no such API: " + method + " " + path, "notFound"));
      }
    }
  }

  private void list(HttpExchange exchange, Map<String, String> query) throws IOException {
    String q = query.getOrDefault("q", "");
    Matcher parent = PARENT.matcher(q);
    Matcher key = KEY.matcher(q);
    String parentId = parent.find() ? unescape(parent.group(1)) : null;
    String keyName = key.find() ? unescape(key.group(1)) : null;
    String keyValue = keyName == null ? null : unescape(key.group(2));
    List<StoredFile> matching =
        files.values().stream()
            .filter(f -> parentId == null || f.parents().contains(parentId))
            .filter(f -> keyName == null || keyValue.equals(f.appProperties().get(keyName)))
            .sorted(Comparator.comparing(StoredFile::created).thenComparing(StoredFile::id))
            .toList();
    int pageSize = Math.min(Integer.parseInt(query.getOrDefault("pageSize", "100")), 3);
    int from = Integer.parseInt(query.getOrDefault("pageToken", "0"));
    List<Map<String, Object>> page = new ArrayList<>();
    for (int i = from; i < Math.min(matching.size(), from + pageSize); i++) {
      page.add(json(matching.get(i)));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("files", page);
    if (from + pageSize < matching.size()) {
      body.put("nextPageToken", Integer.toString(from + pageSize));
    }
    send(exchange, 200, JSON.writeValueAsString(body));
  }

  private void file(HttpExchange exchange, String method, String id, Map<String, String> query)
      throws IOException {
    StoredFile file = files.get(id);
    if (file == null) {
      exchange.getRequestBody().readAllBytes();
      send(exchange, 404, error(404, "File not found: " + id, "notFound"));
      return;
    }
    switch (method) {
      case "DELETE" -> {
        files.remove(id);
        exchange.sendResponseHeaders(204, -1);
      }
      case "GET" -> {
        if ("media".equals(query.get("alt"))) {
          exchange.sendResponseHeaders(
              200, file.content().length == 0 ? -1 : file.content().length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(file.content());
          }
        } else {
          send(exchange, 200, JSON.writeValueAsString(json(file)));
        }
      }
      default -> send(exchange, 405, error(405, "method not allowed", "badRequest"));
    }
  }

  private void upload(HttpExchange exchange, String method, String path, Map<String, String> query)
      throws IOException {
    String sessionId = query.get("upload_id");
    if (sessionId == null) {
      // a new session: POST /files for a new file, PATCH /files/{id} for a new revision (the
      // client sends PATCH as POST with X-HTTP-Method-Override)
      JsonNode metadata = JSON.readTree(exchange.getRequestBody().readAllBytes());
      String fileId =
          path.equals("/upload/drive/v3/files") ? null : path.substring(path.lastIndexOf('/') + 1);
      if (fileId != null && !files.containsKey(fileId)) {
        send(exchange, 404, error(404, "File not found: " + fileId, "notFound"));
        return;
      }
      String id = UUID.randomUUID().toString();
      sessions.put(id, new Session(metadata, fileId));
      exchange
          .getResponseHeaders()
          .add("Location", rootUrl() + path.substring(1) + "?uploadType=resumable&upload_id=" + id);
      send(exchange, 200, "");
      return;
    }
    Session session = sessions.get(sessionId);
    if (session == null) {
      send(exchange, 404, error(404, "no upload session " + sessionId, "notFound"));
      return;
    }
    String range = exchange.getRequestHeaders().getFirst("Content-Range");
    byte[] body = exchange.getRequestBody().readAllBytes();
    if (range == null) {
      range = "bytes */" + body.length;
      // a single request with everything
      session.received.write(body);
      finish(exchange, sessionId, session);
      return;
    }
    Matcher status = Pattern.compile("bytes \\*/(\\*|\\d+)").matcher(range);
    if (status.matches()) {
      statusQueries.incrementAndGet();
      if (!status.group(1).equals("*")
          && Long.parseLong(status.group(1)) == session.received.size()) {
        finish(exchange, sessionId, session);
      } else {
        incomplete(exchange, session);
      }
      return;
    }
    Matcher chunk = Pattern.compile("bytes (\\d+)-(\\d+)/(\\*|\\d+)").matcher(range);
    if (!chunk.matches()) {
      send(exchange, 400, error(400, "bad Content-Range " + range, "badRequest"));
      return;
    }
    long first = Long.parseLong(chunk.group(1));
    if (first != session.received.size()) {
      send(
          exchange,
          400,
          error(
              400,
              "chunk starts at " + first + ", expected " + session.received.size(),
              "badRequest"));
      return;
    }
    int n = chunkPuts.incrementAndGet();
    Integer failure = chunkFailures.remove(n);
    if (failure != null) {
      session.received.write(body, 0, body.length / 2);
      send(exchange, failure, error(failure, "Backend Error", "backendError"));
      return;
    }
    session.received.write(body);
    String total = chunk.group(3);
    if (!total.equals("*") && Long.parseLong(total) == session.received.size()) {
      finish(exchange, sessionId, session);
    } else {
      incomplete(exchange, session);
    }
  }

  private void incomplete(HttpExchange exchange, Session session) throws IOException {
    if (session.received.size() > 0) {
      exchange.getResponseHeaders().add("Range", "bytes=0-" + (session.received.size() - 1));
    }
    exchange.sendResponseHeaders(308, -1);
  }

  private void finish(HttpExchange exchange, String sessionId, Session session) throws IOException {
    sessions.remove(sessionId);
    Instant now = Instant.now();
    StoredFile file;
    if (session.fileId != null) {
      StoredFile old = files.get(session.fileId);
      file =
          new StoredFile(
              old.id(),
              old.name(),
              old.parents(),
              old.appProperties(),
              session.received.toByteArray(),
              old.created(),
              now);
    } else {
      Map<String, String> props = new HashMap<>();
      JsonNode given = session.metadata.get("appProperties");
      if (given != null) {
        given.properties().forEach(e -> props.put(e.getKey(), e.getValue().asString()));
      }
      List<String> parents = new ArrayList<>();
      JsonNode givenParents = session.metadata.get("parents");
      if (givenParents != null) {
        givenParents.forEach(p -> parents.add(p.asString()));
      }
      String id = UUID.randomUUID().toString();
      file =
          new StoredFile(
              id,
              session.metadata.get("name").asString(),
              parents,
              props,
              session.received.toByteArray(),
              now,
              now);
    }
    files.put(file.id(), file);
    send(exchange, 200, JSON.writeValueAsString(json(file)));
  }

  private static Map<String, Object> json(StoredFile f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", f.id());
    m.put("name", f.name());
    m.put("size", Long.toString(f.content().length));
    m.put("createdTime", f.created().toString());
    m.put("modifiedTime", f.modified().toString());
    m.put("appProperties", f.appProperties());
    return m;
  }

  private static String error(int code, String message, String reason) {
    return "{\"error\":{\"code\":"
        + code
        + ",\"message\":\""
        + message.replace("\"", "'")
        + "\",\"errors\":[{\"reason\":\""
        + reason
        + "\",\"message\":\""
        + message.replace("\"", "'")
        + "\"}]}}";
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> params = new HashMap<>();
    if (raw == null) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(name, value);
    }
    return params;
  }

  private static String unescape(String s) {
    return s.replace("\\'", "'").replace("\\\\", "\\");
  }
}
