package io.kanbu.backup.core.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signatures of webhook deliveries.
 *
 * <p>Standard Webhooks 1.0: {@code webhook-signature} is {@code v1,<base64 HMAC-SHA256 of
 * "<webhook-id>.<webhook-timestamp>.<body>">}, one per active secret separated by spaces (two
 * during a rotation), so a receiver that knows either secret accepts the delivery.
 *
 * <p>The original Kanbu: {@code X-Kanbu-Signature: sha256=<hex HMAC-SHA256 of the body>}.
 */
public final class WebhookSignatures {

  /** Header names of Standard Webhooks. */
  public static final String ID_HEADER = "webhook-id";

  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  public static final String SIGNATURE_HEADER = "webhook-signature";

  /** The original Kanbu's header. */
  public static final String LEGACY_HEADER = "X-Kanbu-Signature";

  private WebhookSignatures() {}

  /** The {@code webhook-signature} value for a delivery, signed with every secret given. */
  public static String standard(
      String messageId, Instant timestamp, byte[] body, List<WebhookSecret> secrets) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("a delivery is signed with at least one secret");
    }
    byte[] signed = signedContent(messageId, timestamp, body);
    List<String> signatures = new ArrayList<>();
    for (WebhookSecret secret : secrets) {
      signatures.add("v1," + Base64.getEncoder().encodeToString(hmac(secret.key(), signed)));
    }
    return String.join(" ", signatures);
  }

  /**
   * Checks a delivery as a receiver does: one of the header's {@code v1} signatures matches the
   * secret, and the timestamp is within {@code tolerance} of {@code now}.
   */
  public static boolean verifyStandard(
      String messageId,
      String timestampHeader,
      byte[] body,
      String signatureHeader,
      WebhookSecret secret,
      Instant now,
      Duration tolerance) {
    Instant timestamp;
    try {
      timestamp = Instant.ofEpochSecond(Long.parseLong(timestampHeader.strip()));
    } catch (NumberFormatException e) {
      return false;
    }
    if (Duration.between(timestamp, now).abs().compareTo(tolerance) > 0) {
      return false;
    }
    byte[] expected = hmac(secret.key(), signedContent(messageId, timestamp, body));
    for (String part : signatureHeader.strip().split(" +")) {
      if (part.startsWith("v1,")) {
        try {
          byte[] given = Base64.getDecoder().decode(part.substring(3));
          if (MessageDigest.isEqual(expected, given)) {
            return true;
          }
        } catch (IllegalArgumentException e) {
          // not base64: not a signature of ours
        }
      }
    }
    return false;
  }

  /** The original Kanbu's {@code X-Kanbu-Signature} value: {@code sha256=<hex>}. */
  public static String legacy(byte[] body, String secret) {
    return "sha256="
        + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), body));
  }

  private static byte[] signedContent(String messageId, Instant timestamp, byte[] body) {
    byte[] prefix =
        (messageId + "." + timestamp.getEpochSecond() + ".").getBytes(StandardCharsets.UTF_8);
    byte[] content = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, content, 0, prefix.length);
    System.arraycopy(body, 0, content, prefix.length, body.length);
    return content;
  }

  private static byte[] hmac(byte[] key, byte[] content) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(content);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available in this JVM", e);
    }
  }
}
