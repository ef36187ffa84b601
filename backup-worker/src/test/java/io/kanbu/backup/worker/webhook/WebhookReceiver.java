package io.kanbu.backup.worker.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP receiver on 127.0.0.1 for the tests. Each path has a behaviour that decides the
 * answer from how often that path has seen the delivery (by {@code webhook-id}, or the body for the
 * legacy format, which has no id), so events of other people's tests on the shared broker cannot
 * use up a test's planned answers.
 */
final class WebhookReceiver implements AutoCloseable {

  /** A received request. */
  record Received(String path, Map<String, String> headers, byte[] body, Instant at) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** The answer to the {@code n}th request (1-based) for one delivery. */
  record Answer(int status, Map<String, String> headers, long delayMillis) {
    static Answer of(int status) {
      return new Answer(status, Map.of(), 0);
    }
  }

  @FunctionalInterface
  interface Behaviour {
    Answer answer(int nth);

    /** {@code first} to the first request for a delivery, 200 to the next ones. */
    static Behaviour firstThenOk(Answer first) {
      return nth -> nth == 1 ? first : Answer.of(200);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
  final List<Received> received = new CopyOnWriteArrayList<>();

  WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The URL of a path, by address (allowed in the tests) or by name ({@code localhost}). */
  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  void on(String path, Behaviour behaviour) {
    behaviours.put(path, behaviour);
  }

  List<Received> at(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  List<Received> withId(String webhookId) {
    return received.stream().filter(r -> webhookId.equals(r.header("webhook-id"))).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    Map<String, String> headers = new ConcurrentHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
    String path = exchange.getRequestURI().getPath();
    received.add(new Received(path, headers, body, Instant.now()));
    String key =
        path + " " + headers.getOrDefault("webhook-id", new String(body, StandardCharsets.UTF_8));
    int nth = seen.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    Answer answer = behaviours.getOrDefault(path, n -> Answer.of(200)).answer(nth);
    try {
      if (answer.delayMillis() > 0) {
        Thread.sleep(answer.delayMillis());
      }
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] reply = ("answer " + answer.status() + " to request " + nth).getBytes();
      exchange.sendResponseHeaders(answer.status(), reply.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(reply);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the client gave up (a timeout under test)
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
