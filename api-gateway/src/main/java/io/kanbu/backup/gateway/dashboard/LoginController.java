package io.kanbu.backup.gateway.dashboard;

import io.kanbu.backup.gateway.access.AccessProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The login page; Spring Security handles the form's POST. */
@Controller
public class LoginController {

  private final AccessProperties access;

  public LoginController(AccessProperties access) {
    this.access = access;
  }

  @GetMapping("/login")
  public String login(
      @RequestParam(required = false) @Nullable String error,
      @RequestParam(required = false) @Nullable String logout,
      Model model) {
    String message = null;
    if (error != null) {
      message =
          switch (error) {
            case "locked" ->
                "Too many failed logins for this name: it is locked for "
                    + access.lockout().toMinutes()
                    + " minutes. Try again later or ask an administrator.";
            case "disabled" -> "This user is disabled. Ask an administrator to enable it.";
            default -> "Wrong user name or password.";
          };
    }
    model.addAttribute("error", message);
    model.addAttribute("loggedOut", logout != null);
    return "login";
  }
}
