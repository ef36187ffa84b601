package io.kanbu.backup.gateway.dashboard;

import io.kanbu.backup.gateway.access.AccessProperties;
import io.kanbu.backup.gateway.security.oidc.OidcLogin;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The login page: the password form, and a "Sign in with …" link per OIDC provider when one is
 * configured. Spring Security handles the form's POST and the providers' flow.
 */
@Controller
public class LoginController {

  private final AccessProperties access;
  private final List<OidcLogin.Link> providers;

  public LoginController(AccessProperties access, ObjectProvider<OidcLogin> oidcLogin) {
    this.access = access;
    OidcLogin oidc = oidcLogin.getIfAvailable();
    this.providers = oidc == null ? List.of() : oidc.links();
  }

  @GetMapping("/login")
  public String login(
      @RequestParam(required = false) @Nullable String error,
      @RequestParam(required = false) @Nullable String logout,
      Model model) {
    model.addAttribute("error", error == null ? null : message(error));
    model.addAttribute("loggedOut", logout != null);
    model.addAttribute("providers", providers);
    return "login";
  }

  private String message(String error) {
    return switch (error) {
      case "locked" ->
          "Too many failed logins for this name: it is locked for "
              + access.lockout().toMinutes()
              + " minutes. Try again later or ask an administrator.";
      case "disabled" -> "This user is disabled. Ask an administrator to enable it.";
      case "oidc-no-role" ->
          "Your identity provider signed you in, but none of your groups gives a role in Kanbu"
              + " Backup. Ask an administrator to add you to a group that does.";
      case "oidc-email" ->
          "Your identity provider does not confirm that your e-mail address is verified. Verify"
              + " it there, then sign in again.";
      case "oidc-name-taken" ->
          "Your user name from the identity provider belongs to another Kanbu Backup user. Ask"
              + " an administrator.";
      case "oidc" ->
          "Signing in through the identity provider failed: its answer could not be verified."
              + " Try again; if it keeps failing, ask an administrator to look at the audit log.";
      default -> "Wrong user name or password.";
    };
  }
}
