package io.kanbu.backup.model.catalog;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The body and headers a webhook endpoint is sent, by its wire name. */
public enum WebhookFormat {
  /** The event envelope as published, signed with Standard Webhooks headers. */
  STANDARD("standard"),
  /** A Slack incoming-webhook message ({@code {"text": …}}) with a one-line summary. */
  SLACK("slack"),
  /** A Discord webhook message ({@code {"content": …}}) with a one-line summary. */
  DISCORD("discord"),
  /** The original Kanbu's payload and {@code X-Kanbu-Signature}, for existing receivers. */
  KANBU_LEGACY("kanbu-legacy");

  private final String wireName;

  WebhookFormat(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /**
   * @throws IllegalArgumentException naming the accepted values
   */
  public static WebhookFormat fromWireName(String name) {
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    for (WebhookFormat format : values()) {
      if (format.wireName.equals(wanted)) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "format '"
            + name
            + "' is not known; use one of "
            + Arrays.stream(values()).map(f -> f.wireName).collect(Collectors.joining(", ")));
  }

  /** Stores the wire name, as the migration's CHECK constraint lists them. */
  @Converter(autoApply = true)
  public static class WireNameConverter implements AttributeConverter<WebhookFormat, String> {
    @Override
    public String convertToDatabaseColumn(WebhookFormat format) {
      return format.wireName;
    }

    @Override
    public WebhookFormat convertToEntityAttribute(String name) {
      return fromWireName(name);
    }
  }
}
