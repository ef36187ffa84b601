package io.kanbu.backup.core.webhook;

/** A webhook URL the SSRF guard refuses; the message names the host and the rule. */
public class WebhookAddressRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final boolean unresolved;

  public WebhookAddressRefusedException(String message) {
    this(message, false);
  }

  /**
   * @param unresolved the host did not resolve: unlike a refused address, this may pass later (DNS
   *     trouble), so a delivery tries again
   */
  public WebhookAddressRefusedException(String message, boolean unresolved) {
    super(message);
    this.unresolved = unresolved;
  }

  /** The host did not resolve (rather than resolving to a refused address). */
  public boolean isUnresolved() {
    return unresolved;
  }
}
