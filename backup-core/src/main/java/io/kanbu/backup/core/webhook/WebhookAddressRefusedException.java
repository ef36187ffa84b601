package io.kanbu.backup.core.webhook;

/** A webhook URL the SSRF guard refuses; the message names the host and the rule. */
public class WebhookAddressRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public WebhookAddressRefusedException(String message) {
    super(message);
  }
}
