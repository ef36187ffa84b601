package io.kanbu.backup.gateway.dashboard;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-sent events for the pages: each open stream gets its fragment re-rendered from the catalog
 * every {@link #INTERVAL} and sent as one event when it changed, so a page shows a job reaching
 * "succeeded" without reloading, whichever gateway replica or worker moved it there.
 */
@Component
public class LiveUpdates {

  private static final Logger log = LoggerFactory.getLogger(LiveUpdates.class);

  /** How often open streams are refreshed. */
  static final Duration INTERVAL = Duration.ofSeconds(1);

  /** A stream ends after this; the browser's EventSource reconnects by itself. */
  static final Duration STREAM_LIFETIME = Duration.ofMinutes(10);

  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofVirtual().name("dashboard-live-updates").factory());
  private final Map<SseEmitter, Stream> streams = new ConcurrentHashMap<>();

  private static final class Stream {
    final String event;
    final Supplier<String> render;
    String last = "";

    Stream(String event, Supplier<String> render) {
      this.event = event;
      this.render = render;
    }
  }

  public LiveUpdates() {
    ticker.scheduleWithFixedDelay(
        this::tick, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Opens a stream that sends {@code render}'s HTML as event {@code event} whenever it changes. */
  public SseEmitter open(String event, Supplier<String> render) {
    SseEmitter emitter = new SseEmitter(STREAM_LIFETIME.toMillis());
    Stream stream = new Stream(event, render);
    streams.put(emitter, stream);
    emitter.onCompletion(() -> streams.remove(emitter));
    emitter.onTimeout(() -> streams.remove(emitter));
    emitter.onError(e -> streams.remove(emitter));
    send(emitter, stream);
    return emitter;
  }

  private void tick() {
    streams.forEach(this::send);
  }

  private void send(SseEmitter emitter, Stream stream) {
    try {
      String html = stream.render.get();
      if (!html.equals(stream.last)) {
        stream.last = html;
        emitter.send(SseEmitter.event().name(stream.event).data(html.replace("\n", " ")));
      }
    } catch (IOException | IllegalStateException e) {
      // The browser went away.
      streams.remove(emitter);
    } catch (RuntimeException e) {
      log.warn("a live update of '{}' failed: {}", stream.event, e.toString());
    }
  }

  @PreDestroy
  void stop() {
    ticker.shutdownNow();
    streams.keySet().forEach(SseEmitter::complete);
  }
}
