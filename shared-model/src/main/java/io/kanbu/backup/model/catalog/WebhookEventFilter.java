package io.kanbu.backup.model.catalog;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which events an endpoint receives: event types ({@code job.failed}), prefixes ({@code job.*}
 * matches {@code job.succeeded} and {@code job.failed}) or {@code *} for every event.
 */
public record WebhookEventFilter(List<String> patterns) {

  private static final Pattern VALID =
      Pattern.compile("\\*|[a-z][a-z_]*(\\.[a-z][a-z_]*)*(\\.\\*)?");

  public WebhookEventFilter {
    if (patterns.isEmpty()) {
      throw new IllegalArgumentException(
          "the event filter is empty; name event types such as 'job.failed', 'job.*' or '*'");
    }
    List<String> clean = new ArrayList<>();
    for (String pattern : new LinkedHashSet<>(patterns)) {
      String p = pattern.strip().toLowerCase(Locale.ROOT);
      if (!VALID.matcher(p).matches()) {
        throw new IllegalArgumentException(
            "event pattern '"
                + pattern
                + "' is not valid; use an event type ('job.failed'), a prefix ('job.*') or '*'");
      }
      clean.add(p);
    }
    patterns = List.copyOf(clean);
  }

  /** Reads the stored, comma-separated form. */
  public static WebhookEventFilter parse(String stored) {
    return new WebhookEventFilter(
        List.of(stored.split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
  }

  /** Whether an event of this type goes to the endpoint. */
  public boolean matches(String eventType) {
    for (String p : patterns) {
      if (p.equals("*")
          || p.equals(eventType)
          || (p.endsWith(".*") && eventType.startsWith(p.substring(0, p.length() - 1)))) {
        return true;
      }
    }
    return false;
  }

  /** The stored form. */
  public String asStored() {
    return String.join(",", patterns);
  }
}
