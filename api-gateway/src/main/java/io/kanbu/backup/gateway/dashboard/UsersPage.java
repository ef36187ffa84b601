package io.kanbu.backup.gateway.dashboard;

import io.kanbu.backup.gateway.access.AccessException;
import io.kanbu.backup.gateway.access.ApiTokens;
import io.kanbu.backup.gateway.access.Role;
import io.kanbu.backup.gateway.access.UserAccounts;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Users and their API tokens (administrators only), through the same {@link UserAccounts} and
 * {@link ApiTokens} as the API. A new token's secret is shown on the next page once.
 */
@Controller
public class UsersPage {

  private final UserAccounts accounts;
  private final ApiTokens tokens;

  public UsersPage(UserAccounts accounts, ApiTokens tokens) {
    this.accounts = accounts;
    this.tokens = tokens;
  }

  @GetMapping("/users")
  public String users(Model model) {
    model.addAttribute("users", accounts.list());
    model.addAttribute("tokens", tokens.list());
    model.addAttribute("roles", Role.values());
    model.addAttribute("now", Instant.now());
    return "users";
  }

  @PostMapping("/users")
  public String create(
      @RequestParam String username,
      @RequestParam String password,
      @RequestParam String role,
      Principal caller,
      RedirectAttributes redirect) {
    attempt(
        redirect,
        () -> accounts.create(username, password, Role.parse(role), caller.getName()),
        "User '" + UserAccounts.canonical(username) + "' created with role " + role + ".");
    return "redirect:/users";
  }

  @PostMapping("/users/{id}/role")
  public String role(
      @PathVariable UUID id, @RequestParam String role, RedirectAttributes redirect) {
    attempt(
        redirect, () -> accounts.changeRole(id, Role.parse(role)), "Role changed to " + role + ".");
    return "redirect:/users";
  }

  @PostMapping("/users/{id}/enabled")
  public String enabled(
      @PathVariable UUID id, @RequestParam boolean enabled, RedirectAttributes redirect) {
    attempt(
        redirect,
        () -> accounts.changeEnabled(id, enabled),
        enabled ? "User enabled." : "User disabled: they can no longer log in or use tokens.");
    return "redirect:/users";
  }

  @PostMapping("/users/{id}/password")
  public String password(
      @PathVariable UUID id, @RequestParam String password, RedirectAttributes redirect) {
    attempt(redirect, () -> accounts.changePassword(id, password), "Password changed.");
    return "redirect:/users";
  }

  @PostMapping("/users/{id}/delete")
  public String delete(@PathVariable UUID id, RedirectAttributes redirect) {
    attempt(redirect, () -> accounts.delete(id), "User and their tokens deleted.");
    return "redirect:/users";
  }

  @PostMapping("/tokens")
  public String issue(
      @RequestParam UUID userId,
      @RequestParam String name,
      @RequestParam String role,
      @RequestParam(defaultValue = "") String validDays,
      RedirectAttributes redirect) {
    try {
      Duration validFor =
          validDays.isBlank() ? null : Duration.ofDays(Integer.parseInt(validDays.strip()));
      ApiTokens.Issued issued = tokens.issue(userId, name, Role.parse(role), validFor);
      // Shown on the next page only: the flash attribute lives for one request.
      redirect.addFlashAttribute("newToken", issued.secret());
      Flash.done(
          redirect,
          "Token '" + issued.token().getName() + "' issued. Copy it now: it is not shown again.");
    } catch (AccessException | IllegalArgumentException e) {
      Flash.failed(redirect, e.getMessage());
    }
    return "redirect:/users";
  }

  @PostMapping("/tokens/{id}/revoke")
  public String revoke(@PathVariable UUID id, RedirectAttributes redirect) {
    attempt(redirect, () -> tokens.revoke(id), "Token revoked: it stops working at once.");
    return "redirect:/users";
  }

  private static void attempt(RedirectAttributes redirect, Supplier<?> action, String done) {
    try {
      action.get();
      Flash.done(redirect, done);
    } catch (AccessException | IllegalArgumentException e) {
      Flash.failed(redirect, e.getMessage());
    }
  }
}
