package io.kanbu.backup.gateway.dashboard;

import io.kanbu.backup.gateway.webhooks.WebhookBody;
import io.kanbu.backup.gateway.webhooks.WebhookController;
import io.kanbu.backup.gateway.webhooks.WebhookView;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Notifications: webhook subscribers with their delivery log, test send, replay, secret rotation,
 * adding and deleting, all through {@link WebhookController}. A new or rotated secret is shown on
 * the next page once.
 */
@Controller
public class NotificationsPage {

  private final WebhookController webhooks;

  public NotificationsPage(WebhookController webhooks) {
    this.webhooks = webhooks;
  }

  @GetMapping("/notifications")
  public String list(Model model) {
    model.addAttribute("webhooks", webhooks.list());
    return "notifications";
  }

  @GetMapping("/notifications/{id}")
  public String webhook(@PathVariable UUID id, Model model) {
    model.addAttribute("webhook", webhooks.get(id));
    model.addAttribute("deliveries", webhooks.deliveries(id, 50));
    return "webhook";
  }

  @PostMapping("/notifications")
  public String create(
      @RequestParam String url,
      @RequestParam(defaultValue = "") String description,
      @RequestParam(defaultValue = "*") String events,
      @RequestParam(defaultValue = "standard") String format,
      RedirectAttributes redirect) {
    List<String> patterns =
        Arrays.stream(events.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    AtomicReference<WebhookView.WithSecret> created = new AtomicReference<>();
    if (Flash.attempt(
        redirect,
        () ->
            created.set(
                webhooks
                    .create(
                        new WebhookBody(
                            url,
                            description.isBlank() ? null : description,
                            patterns,
                            format,
                            true))
                    .getBody()))) {
      redirect.addFlashAttribute("newSecret", created.get().secret());
      Flash.done(redirect, "Webhook added. Copy its signing secret now: it is not shown again.");
      return "redirect:/notifications/" + created.get().webhook().id();
    }
    return "redirect:/notifications";
  }

  @PostMapping("/notifications/{id}/test")
  public String test(@PathVariable UUID id, RedirectAttributes redirect) {
    Flash.attempt(
        redirect,
        () -> webhooks.test(id),
        "Test event queued; its delivery appears below within seconds.");
    return "redirect:/notifications/" + id;
  }

  @PostMapping("/notifications/{id}/deliveries/{deliveryId}/replay")
  public String replay(
      @PathVariable UUID id, @PathVariable UUID deliveryId, RedirectAttributes redirect) {
    Flash.attempt(
        redirect,
        () -> webhooks.replay(id, deliveryId),
        "Delivery queued again with the same body and webhook-id.");
    return "redirect:/notifications/" + id;
  }

  @PostMapping("/notifications/{id}/rotate-secret")
  public String rotate(@PathVariable UUID id, RedirectAttributes redirect) {
    AtomicReference<WebhookView.WithSecret> rotated = new AtomicReference<>();
    if (Flash.attempt(redirect, () -> rotated.set(webhooks.rotateSecret(id)))) {
      redirect.addFlashAttribute("newSecret", rotated.get().secret());
      Flash.done(
          redirect,
          "Secret rotated; the old one keeps signing during the grace period. Copy the new one now.");
    }
    return "redirect:/notifications/" + id;
  }

  @PostMapping("/notifications/{id}/delete")
  public String delete(@PathVariable UUID id, RedirectAttributes redirect) {
    Flash.attempt(redirect, () -> webhooks.delete(id), "Webhook deleted with its delivery log.");
    return "redirect:/notifications";
  }
}
